"""Writing in the topic threads: starting a thread, replying, editing and flagging a post,
watching a topic or thread, and the one-click unsubscribe of the emails (the only public page
here)."""

from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from aiii.access import member_required, public
from aiii.actions import form_action
from aiii.languages import profile_language, use_language

from ..forms import (
    FlagForm,
    PostEditForm,
    ReplyForm,
    ThreadStartForm,
    WatchForm,
)
from ..models import Post
from ..permissions import can_edit_post, can_post_in
from ..services.moderation import post_flag
from ..services.notifications import notifications_off, unsubscribe_user
from ..services.posts import post_edit, post_reply, thread_start
from ..services.subscriptions import subscription_add, subscription_remove
from .common import _made_url, _post, _thread, _topic, _written, post_url


@member_required
@require_http_methods(["GET", "HEAD", "POST"])
def thread_new(request, slug):
    shown = _topic(request, slug)

    def page(*, form=None, error=None, status=200):
        return render(
            request,
            "topics/thread_new.html",
            {"topic": shown, "form": form or ThreadStartForm(), "error": error},
            status=status,
        )

    if request.method != "POST":
        if shown.hidden:
            return page(error=_("This topic is closed: nothing can be posted in it."))
        return page()
    made = {}

    def perform(data):
        made["url"] = thread_start(
            topic=shown, by=request.user, title=data["title"], **_written(data)
        ).get_absolute_url()

    return form_action(
        request,
        form=ThreadStartForm(request.POST),
        perform=perform,
        page=page,
        success=_("Your thread is started; you are watching it."),
        then=_made_url(made),
    )


def _watch(request, *, topic=None, thread=None, then):
    form = WatchForm(request.POST)

    def perform(data):
        if data["watch"]:
            subscription_add(user=request.user, topic=topic, thread=thread)
        else:
            subscription_remove(user=request.user, topic=topic, thread=thread)
        return data["watch"]

    return form_action(
        request,
        form=form,
        perform=perform,
        page=lambda **kw: redirect(then),
        success=lambda watched: (
            _("You are watching it: new posts reach you as your notification setting says.")
            if watched
            else _("You no longer watch it.")
        ),
        then=then,
    )


@member_required
@require_http_methods(["GET", "HEAD", "POST"])
def topic_watch(request, slug):
    shown = _topic(request, slug)
    return _watch(request, topic=shown, then=shown.get_absolute_url())


@member_required
@require_http_methods(["GET", "HEAD", "POST"])
def thread_watch(request, pk):
    shown = _thread(request, pk)
    return _watch(request, thread=shown, then=shown.get_absolute_url())


def _quote(post):
    lines = post.source.splitlines() or [""]
    handle = getattr(getattr(post.author, "topic_handle", None), "handle", "")
    who = f"@{handle}" if handle else post.author.profile.full_name
    intro = _("%(who)s wrote in [post %(number)s](%(url)s):") % {
        "who": who,
        "number": post.number,
        "url": post.get_absolute_url(),
    }
    return intro + "\n" + "\n".join(f"> {line}" for line in lines) + "\n\n"


@member_required
@require_http_methods(["GET", "HEAD", "POST"])
def reply(request, pk):
    shown = _thread(request, pk)

    def page(*, form=None, error=None, status=200):
        return render(
            request,
            "topics/reply.html",
            {
                "thread": shown,
                "topic": shown.topic,
                "form": form or ReplyForm(),
                "error": error,
                "can_post": can_post_in(request.user, shown),
            },
            status=status,
        )

    if request.method != "POST":
        initial = {}
        quote_id = request.GET.get("quote", "")
        if quote_id.isdigit():
            quoted = (
                Post.objects.filter(thread=shown, pk=int(quote_id), hidden=False)
                .select_related("author__profile", "author__topic_handle")
                .first()
            )
            if quoted is not None:
                initial["source"] = _quote(quoted)
        return page(form=ReplyForm(initial=initial))
    made = {}

    def perform(data):
        made["url"] = post_url(post_reply(thread=shown, by=request.user, **_written(data)))

    return form_action(
        request,
        form=ReplyForm(request.POST),
        perform=perform,
        page=page,
        success=_("Your reply is posted."),
        then=_made_url(made),
    )


@member_required
@require_http_methods(["GET", "HEAD", "POST"])
def post_edit_view(request, pk):
    shown = _post(request, pk)
    if shown.author_id != request.user.pk:
        raise Http404

    def page(*, form=None, error=None, status=200):
        return render(
            request,
            "topics/post_edit.html",
            {
                "post": shown,
                "thread": shown.thread,
                "form": form or PostEditForm(obj=shown, initial=_edit_initial(shown)),
                "error": error,
                "can_edit": can_edit_post(request.user, shown),
            },
            status=status,
        )

    if request.method != "POST":
        return page()
    return form_action(
        request,
        form=PostEditForm(request.POST, obj=shown),
        perform=lambda data: post_edit(
            post=shown,
            by=request.user,
            source=data["source"],
            ai_disclosure=data["ai_disclosure"],
            ai_tool=data["ai_tool"],
            version=data["version"],
        ),
        page=page,
        success=_("Your post is saved; it now shows as edited."),
        then=post_url(shown),  # a post keeps its place, so its link is known before the edit
    )


def _edit_initial(post):
    return {"source": post.source, "ai_disclosure": post.ai_disclosure, "ai_tool": post.ai_tool}


@member_required
@require_http_methods(["GET", "HEAD", "POST"])
def post_flag_view(request, pk):
    shown = _post(request, pk)

    def page(*, form=None, error=None, status=200):
        return render(
            request,
            "topics/post_flag.html",
            {"post": shown, "thread": shown.thread, "form": form or FlagForm(), "error": error},
            status=status,
        )

    if request.method != "POST":
        return page()
    return form_action(
        request,
        form=FlagForm(request.POST),
        perform=lambda data: post_flag(post=shown, by=request.user, reason=data["reason"]),
        page=page,
        success=_("Thank you: the secretariat will look at this post."),
        then=post_url(shown),
    )


# --- unsubscribe (from an email; no sign-in) ------------------------------------------------------


@public
@csrf_exempt  # RFC 8058: the mail client's one-click POST carries no cookie; the token is the key
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    user = unsubscribe_user(token)
    if user is None:
        return render(request, "topics/unsubscribe.html", {"invalid": True}, status=400)
    use_language(request, profile_language(user))  # the language of the digest it came from
    if request.method == "POST":
        notifications_off(user=user)
        return render(request, "topics/unsubscribe.html", {"done": True})
    # A GET changes nothing (mail scanners open links): it asks for the click.
    return render(request, "topics/unsubscribe.html", {"token": token})
