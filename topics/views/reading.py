"""Reading the topic threads: the list of topics, a topic's threads, a thread's posts, a post,
its history and the search. Their content is kept in the cache (aiii/fragments.py); each
reader's own marks are filled in per request (topics/slots.py)."""

import uuid

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import escape
from django.views.decorators.http import require_safe

from aiii.access import member_required
from aiii.fragments import cached_fragment
from aiii.layout import fragment_page
from aiii.page_tokens import page_token, with_token
from aiii.pagination import paginate
from members.models import area_label

from .. import conf, slots
from ..forms import (
    PostHideForm,
    PostRestoreForm,
    SearchForm,
    ThreadModerateForm,
)
from ..models import Thread, topic_visible_to
from ..permissions import can_moderate, can_post_in, can_view_history
from ..rendering import render_posts, reply_form, unread_badge
from ..selectors import (
    first_unread,
    post_revisions,
    search_results,
    thread_marks,
    thread_posts,
    topic_marks,
    topic_threads,
    topics_for_list,
)
from ..services.posts import thread_mark_read
from .common import SHOWN_DATA, _form_error, _post, _thread, _topic, post_url

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


# --- the secretariat's actions shown on the thread page ------------------------------------------


def thread_page_for_action(request, thread):
    def page(*, form=None, error=None, status):
        marks = _thread_marks(request, thread.pk)
        error = error or _form_error(form)
        return _thread_page(request, thread.pk, marks, error=error, status=status)

    return page


# --- posts --------------------------------------------------------------------------------------


@member_required
@require_safe
def post(request, pk):
    return redirect(post_url(_post(request, pk)))


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
