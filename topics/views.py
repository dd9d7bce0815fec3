"""Members' pages of the topic threads: topics, threads, posts, watching, flags, search, and the
one-click unsubscribe of the emails (the only public page here)."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from aiii.access import get_visible_or_404, member_required, public
from aiii.actions import form_action
from aiii.languages import profile_language, use_language
from aiii.pagination import paginate

from . import conf
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
from .models import Post, Thread, Topic
from .permissions import can_edit_post, can_moderate, can_post_in, can_view_history
from .selectors import (
    first_unread,
    last_read_number,
    page_of,
    post_revisions,
    search_page,
    search_posts,
    thread_posts,
    topic_threads,
    topics_for_list,
    watching,
)
from .services.moderation import post_flag
from .services.notifications import notifications_off, unsubscribe_user
from .services.posts import post_edit, post_reply, thread_mark_read, thread_start
from .services.subscriptions import subscription_add, subscription_remove


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
    return render(request, "topics/list.html", {"topics": topics_for_list(user=request.user)})


@member_required
@require_safe
def topic(request, slug):
    shown = _topic(request, slug)
    page = paginate(request, topic_threads(topic=shown, user=request.user))
    return render(
        request,
        "topics/topic.html",
        {
            "topic": shown,
            "page": page,
            "watching": watching(user=request.user, topic=shown),
        },
    )


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


def _thread_page(request, thread, *, forms=None, error=None, status=200):
    forms = forms or {}
    paginator = Paginator(thread_posts(thread=thread), conf.posts_per_page())
    page = paginator.get_page(request.GET.get("page"))
    posts = list(page)
    last_read = last_read_number(thread=thread, user=request.user)
    if posts and request.method in ("GET", "HEAD"):
        thread_mark_read(thread=thread, user=request.user, number=posts[-1].number)
    moderator = can_moderate(request.user)
    for post in posts:
        post.thread = thread  # the page's thread, not one query per post
        post.can_edit = can_edit_post(request.user, post)
        if moderator:
            post.moderate_form = (
                PostRestoreForm(obj=post)
                if post.hidden
                else PostHideForm(obj=post, prefix=f"p{post.pk}")
            )
    return render(
        request,
        "topics/thread.html",
        {
            "thread": thread,
            "topic": thread.topic,
            "page": page,
            "posts": posts,
            "reply_form": forms.get("reply") or ReplyForm(),
            "can_post": can_post_in(request.user, thread),
            "watching": watching(user=request.user, thread=thread),
            "moderator": moderator,
            "moderate_form": ThreadModerateForm(obj=thread) if moderator else None,
            "error": error,
            "last_read": last_read,
        },
        status=status,
    )


@member_required
@require_safe
def thread(request, pk):
    shown = _thread(request, pk)
    if "page" not in request.GET:
        unread = first_unread(thread=shown, user=request.user)
        if unread is not None:
            return redirect(post_url(unread))
    return _thread_page(request, shown)


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
    form = SearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    page = paginate(request, search_posts(user=request.user, query=query)) if query else None
    if page is not None:
        search_page(page, query)
    return render(request, "topics/search.html", {"form": form, "query": query, "page": page})


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
        current = _thread(request, thread.pk)
        return _thread_page(request, current, error=error or _form_error(form), status=status)

    return page


def _form_error(form):
    if form is None:
        return None
    return " ".join(str(message) for messages in form.errors.values() for message in messages)
