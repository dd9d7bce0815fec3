"""Members' pages of the topic threads: topics, threads, posts, watching, flags, search, and the
one-click unsubscribe of the emails (the only public page here)."""

import uuid

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.functional import lazy
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from aiii.access import get_visible_or_404, member_required, public
from aiii.actions import form_action
from aiii.fragments import cached_fragment, page_token, with_token
from aiii.languages import profile_language, use_language
from aiii.layout import fragment_page
from aiii.pagination import paginate
from members.models import MEMBERS_DATA, area_label

from . import conf, slots
from .forms import (
    FlagForm,
    PostEditForm,
    PostHideForm,
    PostRestoreForm,
    ReplyForm,
    SearchForm,
    ThreadModerateForm,
    ThreadStartForm,
    WatchForm,
)
from .models import TOPICS_DATA, Post, Thread, Topic, topic_visible_to
from .permissions import can_edit_post, can_moderate, can_post_in, can_view_history
from .rendering import render_posts, reply_form, unread_badge
from .selectors import (
    first_unread,
    page_of,
    post_revisions,
    search_results,
    thread_marks,
    thread_posts,
    topic_marks,
    topic_threads,
    topics_for_list,
)
from .services.moderation import post_flag
from .services.notifications import notifications_off, unsubscribe_user
from .services.posts import post_edit, post_reply, thread_mark_read, thread_start
from .services.subscriptions import subscription_add, subscription_remove

# What the cached pages of the topics show (aiii/fragments.py): the topics' own data, and the
# members' names and areas of expertise.
SHOWN_DATA = [TOPICS_DATA, MEMBERS_DATA]


def _topic(request, slug):
    return get_visible_or_404(Topic.objects.select_related("area"), request.user, area__slug=slug)


def _thread(request, pk):
    return get_visible_or_404(Thread.objects.select_related("topic__area"), request.user, pk=pk)


def _post(request, pk):
    return get_visible_or_404(
        Post.objects.select_related("thread__topic__area", "author__profile"), request.user, pk=pk
    )


def post_url(post):
    """The stable link's target: the thread page that shows the post, at the post."""
    url = reverse("topics:thread", kwargs={"pk": post.thread_id})
    return f"{url}?page={page_of(post.number)}#{post.anchor}"


def _written(data):
    """A post form's cleaned data as the posting services take it."""
    return {
        "source": data["source"],
        "ai_disclosure": data["ai_disclosure"],
        "ai_tool": data["ai_tool"],
        "client_token": data["token"],
    }


def _made_url(made):
    """The address of what the service made, known only once it ran: a lazy string, which
    form_action's redirect reads after `perform` (only on POST: these views answer GET
    themselves)."""
    return lazy(lambda: made["url"], str)()


# --- topics -------------------------------------------------------------------------------------


@member_required
@require_safe
def topic_list(request):
    content = cached_fragment(
        request,
        "topics/includes/list_content.html",
        datasets=SHOWN_DATA,
        context=lambda: {"topics": topics_for_list(user=request.user)},
        params=[],
    )
    return fragment_page(request, "topics/list.html", content)


@member_required
@require_safe
def topic(request, slug):
    def context():
        shown = _topic(request, slug)  # 404 for a topic the reader may not see
        return {"topic": shown, "page": paginate(request, topic_threads(topic=shown))}

    content = cached_fragment(
        request,
        "topics/includes/topic_content.html",
        datasets=SHOWN_DATA,
        context=context,
        params=["page"],
    )
    # Whether the reader may see the topic, and the reader's own marks on it and on the
    # threads of the page (topics/slots.py), in one statement for every request, the kept
    # page's too; checked before any page is made from the kept content.
    listed = dict(slots.numbers_of(str(content), "unread"))
    marks = topic_marks(user=request.user, slug=slug, thread_ids=list(listed))
    if marks is None or not topic_visible_to(request.user, hidden=marks.hidden):
        raise Http404
    response = fragment_page(request, "topics/topic.html", content)

    language = translation.get_language()

    def put(kind, *numbers):
        if kind == "title":
            return escape(area_label(marks.slug, marks.name))
        if kind == "unread":
            pk, post_count = numbers
            return unread_badge(language, post_count - marks.reads.get(pk, 0))
        raise ValueError(kind)

    return slots.fill_response(response, choose=lambda kind: _watching(marks, kind), put=put)


def _watching(marks, kind):
    if kind != "watching":
        raise ValueError(kind)
    return marks.watching


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


# --- threads ------------------------------------------------------------------------------------


def _thread_marks(request, pk):
    """The thread `pk` with the reader's own marks (selectors.thread_marks), or 404."""
    marks = thread_marks(user=request.user, thread_id=pk)
    if marks is None or not topic_visible_to(request.user, hidden=marks.topic_hidden):
        raise Http404
    return marks


def _thread_page(request, pk, marks, *, error=None, status=200):
    """The page of the thread `pk` that the request asks for.

    Its content is the same for everyone of a role and kept in the cache; the reader's own
    marks (`marks`: selectors.thread_marks) fill its slots (topics/slots.py). A page with a
    refusal to show is rendered afresh."""
    moderator = can_moderate(request.user)

    def context():
        thread = _thread(request, pk)
        paginator = Paginator(thread_posts(thread=thread), conf.posts_per_page())
        page = paginator.get_page(request.GET.get("page"))
        posts = list(page)
        for post in posts:
            post.thread = thread  # the page's thread, not one query per post
            if moderator:
                post.moderate_form = (
                    PostRestoreForm(obj=post)
                    if post.hidden
                    else PostHideForm(obj=post, prefix=f"p{post.pk}")
                )
        can_post = can_post_in(request.user, thread)
        return {
            "thread": thread,
            "topic": thread.topic,
            "page": page,
            "posts": render_posts(posts, thread=thread, moderator=moderator, can_post=can_post),
            "reply_form": reply_form(),
            "can_post": can_post,
            "moderator": moderator,
            "moderate_form": ThreadModerateForm(obj=thread) if moderator else None,
            "error": error,
        }

    template = "topics/includes/thread_content.html"
    if error is None:
        content = cached_fragment(
            request, template, datasets=SHOWN_DATA, context=context, params=["page"]
        )
    else:  # rendered afresh, with the request's token (also in place of the posts' placeholder)
        values = {**context(), "csrf_token": page_token(request)}
        content = with_token(request, render_to_string(template, values, request=request))
    response = fragment_page(request, "topics/thread.html", content)
    response.status_code = status
    shown = []  # the numbers of the posts on the page
    reader = request.user.pk

    def choose(kind, *numbers):
        if kind == "own":
            return numbers[0] == reader
        if kind == "new":
            shown.append(numbers[0])
            return marks.last_read is not None and numbers[0] > marks.last_read
        if kind == "watching":
            return marks.watching
        raise ValueError(kind)

    def put(kind, *numbers):
        if kind == "title":
            return escape(marks.title)
        if kind == "token":
            return uuid.uuid4().hex  # the reply form's own key (forms._OneTimeToken)
        raise ValueError(kind)

    slots.fill_response(response, choose=choose, put=put)
    if shown and request.method in ("GET", "HEAD"):
        seen = max(shown)
        if marks.last_read is None or marks.last_read < seen:  # it never moves back
            thread_mark_read(thread=Thread(pk=pk), user=request.user, number=seen)
    return response


@member_required
@require_safe
def thread(request, pk):
    marks = _thread_marks(request, pk)
    if "page" not in request.GET:
        unread = first_unread(thread_id=pk, marks=marks)
        if unread is not None:
            return redirect(post_url(unread))
    return _thread_page(request, pk, marks)


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


# --- posts --------------------------------------------------------------------------------------


@member_required
@require_safe
def post(request, pk):
    return redirect(post_url(_post(request, pk)))


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


@member_required
@require_safe
def post_history(request, pk):
    shown = _post(request, pk)
    if not can_view_history(request.user, shown):
        raise Http404
    return render(
        request,
        "topics/post_history.html",
        {"post": shown, "thread": shown.thread, "revisions": post_revisions(post=shown)},
    )


# --- search -------------------------------------------------------------------------------------


@member_required
@require_safe
def search(request):
    def context():
        form = SearchForm(request.GET or None)
        query = form.cleaned_data["q"] if form.is_valid() else ""
        page = (
            search_results(
                user=request.user,
                query=query,
                page=request.GET.get("page"),
                per_page=settings.AIII_PAGE_SIZE,
            )
            if query
            else None
        )
        return {"form": form, "query": query, "page": page}

    # What a role may find is the same for all its members: kept per question (aiii/fragments.py).
    content = cached_fragment(
        request,
        "topics/includes/search_content.html",
        datasets=SHOWN_DATA,
        context=context,
        params=["q", "page"],
    )
    return fragment_page(request, "topics/search.html", content)


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


# --- the secretariat's actions shown on the thread page ------------------------------------------


def thread_page_for_action(request, thread):
    def page(*, form=None, error=None, status):
        marks = _thread_marks(request, thread.pk)
        error = error or _form_error(form)
        return _thread_page(request, thread.pk, marks, error=error, status=status)

    return page


def _form_error(form):
    if form is None:
        return None
    return " ".join(str(message) for messages in form.errors.values() for message in messages)
