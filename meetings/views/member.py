"""The members' side: /meetings/ (my meetings and my calendar feed), a meeting's workspace,
answering an invitation, documents and minutes. A meeting one may not open answers 404."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from aiii.access import get_visible_or_404, public, signed_in
from aiii.actions import form_action
from aiii.errors import ServiceError
from aiii.fragments import cached_fragment
from aiii.languages import profile_language, use_language
from aiii.layout import fragment_page
from aiii.pagination import paginate
from members.models import MEMBERS_DATA

from ..calendar import PUBLISH, feed_ics, invitation_ics
from ..forms import CommentForm, DocumentForm, DocumentVersionForm, RespondForm
from ..models import MEETINGS_DATA, CalendarFeed, Meeting, Minutes
from ..permissions import (
    can_comment_minutes,
    can_manage_meetings,
    can_read_minutes,
    can_upload_document,
    can_use_meetings,
    sees_attributed_minutes,
)
from ..selectors import (
    document_versions,
    feed_for,
    feed_meetings,
    first_end_ahead,
    meetings_for,
    my_participations,
    visible_document_version,
    visible_heading,
    workspace_documents,
    workspace_participants,
)
from ..services import (
    document_upload,
    feed_create,
    feed_revoke,
    minutes_comment,
    participant_respond,
)
from ..services.participants import feed_token_hash, rsvp_participant


def _require_meetings_role(request):
    if not can_use_meetings(request.user):
        raise PermissionDenied


@signed_in
@require_safe
def meeting_list(request):
    _require_meetings_role(request)
    user = request.user

    def context():  # run only when the content is not cached (aiii/fragments.py)
        when = "past" if request.GET.get("when") == "past" else "upcoming"
        page = paginate(request, meetings_for(user, when=when))
        mine = my_participations(user, page.object_list)
        return {
            "page": page,
            "rows": [(meeting, mine.get(meeting.pk)) for meeting in page],
            "when": when,
            "feed": CalendarFeed.objects.filter(user=user).first(),
        }

    # The viewer's own: their meetings (confidential ones only to invitees), answers and feed.
    content = cached_fragment(
        request,
        "meetings/includes/list_content.html",
        datasets=[MEETINGS_DATA],
        context=context,
        params=["when", "page"],
        vary=(user.pk,),
        # Both tabs change when a meeting ahead ends (it moves from one to the other).
        until=lambda values: first_end_ahead(user),
    )
    return fragment_page(request, "meetings/list.html", content)


def _agenda(user, meeting):
    """The agenda, each item's thread kept only where `user` may read that thread (one query
    for all of them)."""
    from topics.models import Thread

    items = list(meeting.agenda_items.select_related("thread"))
    linked = [item.thread_id for item in items if item.thread_id]
    readable = (
        set(Thread.objects.visible_to(user).filter(pk__in=linked).values_list("pk", flat=True))
        if linked
        else set()
    )
    for item in items:
        item.shown_thread = item.thread if item.thread_id in readable else None
    return items


WORKSPACE_CONTENT = "meetings/includes/workspace_content.html"


def _workspace(request, pk, *, forms=None, error=None, status=200):
    user = request.user
    if forms is None and error is None:
        # Authorised on every request, before the cached content: a meeting one may not open
        # is 404 (Meeting.objects.visible_to).
        heading = visible_heading(user, pk)
        if heading is None:
            raise Http404
        # The viewer's own (their answer and what they may do), so kept for them only.
        content = cached_fragment(
            request,
            WORKSPACE_CONTENT,
            datasets=[MEETINGS_DATA, MEMBERS_DATA],
            context=lambda: _workspace_context(user, get_visible_or_404(Meeting, user, pk=pk)),
            params=[],
            vary=(user.pk,),
        )
        title = {"title": f"{heading[0]} {heading[1]}"}
        return fragment_page(request, "meetings/workspace.html", content, values=title)
    # A refused form shows what was sent: never kept.
    meeting = get_visible_or_404(Meeting, user, pk=pk)
    title = {"title": f"{meeting.reference} {meeting.title}"}
    context = _workspace_context(user, meeting, forms=forms, error=error)
    content = mark_safe(render_to_string(WORKSPACE_CONTENT, context, request=request))
    return render(request, "meetings/workspace.html", {**title, "content": content}, status=status)


def _workspace_context(user, meeting, *, forms=None, error=None):
    forms = forms or {}
    me = meeting.participants.filter(user=user).first()
    minutes = Minutes.objects.filter(meeting=meeting).first()
    documents = list(workspace_documents(meeting))
    versions = {}
    for version in document_versions(meeting):
        versions.setdefault(version.document_id, []).append(version)
    for document in documents:
        document.all_versions = versions.get(document.pk, [])
    return {
        "meeting": meeting,
        "me": me,
        "agenda": _agenda(user, meeting),
        "documents": documents,
        "participants": workspace_participants(meeting),
        "minutes": minutes if minutes and can_read_minutes(user, minutes) else None,
        "is_secretariat": can_manage_meetings(user),
        "respond_form": forms.get("respond")
        or RespondForm(initial={"response": me.response if me else None}),
        "may_upload": can_upload_document(user, meeting),
        "document_form": forms.get("document") or DocumentForm(),
        "version_form": DocumentVersionForm(),
        "takes_answers": me is not None and meeting.status == Meeting.Status.INVITED,
        "action_error": error,
    }


@signed_in
@require_safe
def workspace(request, pk):
    _require_meetings_role(request)
    return _workspace(request, pk)


@signed_in
@require_http_methods(["GET", "POST"])
def respond(request, pk):
    _require_meetings_role(request)
    meeting = get_visible_or_404(Meeting, request.user, pk=pk)
    me = meeting.participants.filter(user=request.user).first()
    if me is None:
        raise Http404
    form = RespondForm(request.POST)
    return form_action(
        request,
        form=form,
        perform=lambda data: participant_respond(participant=me, response=data["response"]),
        page=lambda **kw: _workspace(
            request,
            pk,
            forms={"respond": kw.get("form")},
            error=kw.get("error"),
            status=kw["status"],
        ),
        success=lambda answered: (
            _("Your answer is recorded: %(answer)s.") % {"answer": answered.get_response_display()}
        ),
        then=meeting.get_absolute_url(),
    )


@public
@require_http_methods(["GET", "HEAD", "POST"])
def rsvp_link(request, token):
    """The answer links of an invitation email. They work without signing in: the signed token
    names the one participation it answers for, and the page shows nothing the email did not
    already say. A signed-in person holding someone else's link is refused."""
    participant = rsvp_participant(token)
    if participant is not None and request.user.is_authenticated:
        if request.user.pk != participant.user_id:
            participant = None
    if participant is None:
        return render(request, "meetings/rsvp_invalid.html", status=404)
    use_language(request, profile_language(participant.user))  # the invitation's language
    meeting = participant.meeting
    form = RespondForm(request.POST or None, initial={"response": request.GET.get("answer")})
    error = None
    if request.method == "POST" and form.is_valid():
        try:
            participant_respond(participant=participant, response=form.cleaned_data["response"])
        except ServiceError as refused:  # the meeting no longer takes answers
            error = refused.message
        else:
            participant.refresh_from_db(fields=["response", "responded_at"])
            return render(
                request,
                "meetings/rsvp.html",
                {"meeting": meeting, "participant": participant, "done": True},
            )
    return render(
        request,
        "meetings/rsvp.html",
        {"meeting": meeting, "participant": participant, "form": form, "error": error},
        status=400 if request.method == "POST" else 200,
    )


@signed_in
@require_safe
def document_download(request, pk, version_pk):
    _require_meetings_role(request)
    version = visible_document_version(request.user, meeting_pk=pk, version_pk=version_pk)
    if version is None:
        raise Http404
    prefix = settings.AIII_DOCUMENT_X_ACCEL_PREFIX
    if prefix:
        response = HttpResponse(content_type=version.mimetype)
        response["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + version.file.name
    else:
        response = FileResponse(version.file.open("rb"), content_type=version.mimetype)
    response["Content-Disposition"] = _attachment(version.filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def _attachment(filename):
    from django.utils.http import content_disposition_header

    return content_disposition_header(True, filename)


def _upload(request, pk, *, document_pk=None):
    _require_meetings_role(request)
    meeting = get_visible_or_404(Meeting, request.user, pk=pk)
    if not can_upload_document(request.user, meeting):
        raise Http404
    document = None
    if document_pk is not None:
        document = meeting.documents.filter(pk=document_pk).first()
        if document is None:
            raise Http404
        form = DocumentVersionForm(request.POST, request.FILES)
    else:
        form = DocumentForm(request.POST, request.FILES)
    return form_action(
        request,
        form=form,
        perform=lambda data: document_upload(
            meeting=meeting,
            by=request.user,
            upload=data["file"],
            title=data.get("title", ""),
            document=document,
        ),
        page=lambda **kw: _workspace(
            request,
            pk,
            forms={"document": kw.get("form")},
            error=kw.get("error"),
            status=kw["status"],
        ),
        success=lambda version: (
            _("%(name)s is uploaded (version %(number)s).")
            % {"name": version.filename, "number": version.number}
        ),
        then=meeting.get_absolute_url() + "#documents",
    )


@signed_in
@require_http_methods(["GET", "POST"])
def upload(request, pk):
    return _upload(request, pk)


@signed_in
@require_http_methods(["GET", "POST"])
def upload_version(request, pk, document_pk):
    return _upload(request, pk, document_pk=document_pk)


def _minutes_page(request, pk, *, form=None, status=200):
    meeting = get_visible_or_404(Meeting, request.user, pk=pk)
    minutes = Minutes.objects.filter(meeting=meeting).first()
    if minutes is None or not can_read_minutes(request.user, minutes):
        raise Http404
    return render(
        request,
        "meetings/minutes.html",
        {
            "meeting": meeting,
            "minutes": minutes,
            "html": minutes.attributed_html
            if sees_attributed_minutes(request.user, meeting)
            else minutes.public_html,
            "comments": _comments(request.user, minutes, meeting),
            "may_comment": can_comment_minutes(request.user, minutes),
            "comment_form": form or CommentForm(),
        },
        status=status,
    )


def _comments(user, minutes, meeting):
    """The draft's comments; under the Chatham House Rule a participant sees who wrote only
    their own."""
    comments = list(minutes.comments.select_related("author__profile"))
    attributed = sees_attributed_minutes(user, meeting)
    for comment in comments:
        author = comment.author
        named = author is not None and (attributed or author.pk == user.pk)
        profile = getattr(author, "profile", None) if named else None
        comment.shown_author = (getattr(profile, "full_name", "") or author.email) if named else ""
    return comments


@signed_in
@require_safe
def minutes(request, pk):
    _require_meetings_role(request)
    return _minutes_page(request, pk)


@signed_in
@require_http_methods(["GET", "POST"])
def comment(request, pk):
    _require_meetings_role(request)
    meeting = get_visible_or_404(Meeting, request.user, pk=pk)
    minutes_ = Minutes.objects.filter(meeting=meeting).first()
    if minutes_ is None or not can_read_minutes(request.user, minutes_):
        raise Http404
    return form_action(
        request,
        form=CommentForm(request.POST),
        perform=lambda data: minutes_comment(minutes=minutes_, by=request.user, text=data["text"]),
        page=lambda **kw: _minutes_page(request, pk, form=kw.get("form"), status=kw["status"]),
        success=_("Your comment is added."),
        then=reverse("meetings:minutes", kwargs={"pk": pk}),
    )


@signed_in
@require_safe
def calendar_file(request, pk):
    """The meeting as a calendar file, for a participant who no longer has the invitation."""
    _require_meetings_role(request)
    meeting = get_visible_or_404(Meeting, request.user, pk=pk)
    response = HttpResponse(
        invitation_ics(meeting, method=PUBLISH), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = _attachment(f"{meeting.reference.replace('/', '-')}.ics")
    response["X-Content-Type-Options"] = "nosniff"
    return response


@public
@require_safe
def feed(request, token):
    found = feed_for(feed_token_hash(token))
    if found is None or not found.user.is_active:
        raise Http404
    response = HttpResponse(
        feed_ics(feed_meetings(found.user)), content_type="text/calendar; charset=utf-8"
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@signed_in
@require_http_methods(["GET", "POST"])
def feed_new(request):
    _require_meetings_role(request)
    if request.method != "POST":
        return redirect("meetings:list")
    token = feed_create(user=request.user)
    # Shown once, here: only the token's hash is kept.
    url = settings.AIII_SITE_URL + reverse("meetings:feed", kwargs={"token": token})
    return render(request, "meetings/feed_created.html", {"url": url})


@signed_in
@require_http_methods(["GET", "POST"])
def feed_delete(request):
    _require_meetings_role(request)
    if request.method == "POST":
        if feed_revoke(user=request.user):
            messages.success(request, _("Your calendar feed address no longer works."))
    return redirect("meetings:list")
