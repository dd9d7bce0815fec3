"""The secretariat's topic tools: the list of topics (add, edit, order, hide), the flag queue,
and the moderation actions (hide or restore a post, lock, unlock, pin or unpin a thread)."""

from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from aiii.access import secretariat_required
from aiii.actions import form_action
from aiii.pagination import paginate

from .forms import (
    FlagDismissForm,
    FlagFilterForm,
    PostHideForm,
    PostRestoreForm,
    ThreadModerateForm,
    TopicAddForm,
    TopicEditForm,
)
from .models import Flag, Post, Thread, Topic
from .selectors import flag_queue, topics_for_list
from .services.moderation import flag_dismiss, post_hide, post_restore, thread_moderate
from .services.topics import topic_add, topic_edit
from .views import post_url, thread_page_for_action


def _topics_page(request, *, form=None, error=None, status=200):
    return render(
        request,
        "topics/secretariat/topics.html",
        {
            "topics": topics_for_list(user=request.user),
            "form": form or TopicAddForm(),
            "error": error,
        },
        status=status,
    )


@secretariat_required
@require_http_methods(["GET", "HEAD", "POST"])
def topics(request):
    if request.method != "POST":
        return _topics_page(request)
    return form_action(
        request,
        form=TopicAddForm(request.POST),
        perform=lambda data: topic_add(by=request.user, **data),
        page=lambda **kw: _topics_page(request, **kw),
        success=lambda topic: _("The topic “%(name)s” is added.") % {"name": topic.name},
        then=reverse("secretariat:topics"),
    )


@secretariat_required
@require_http_methods(["GET", "HEAD", "POST"])
def topic_edit_view(request, slug):
    topic = get_object_or_404(Topic.objects.select_related("area"), area__slug=slug)

    def page(*, form=None, error=None, status=200):
        current = get_object_or_404(Topic.objects.select_related("area"), pk=topic.pk)
        return render(
            request,
            "topics/secretariat/topic_edit.html",
            {"topic": current, "form": form or TopicEditForm(obj=current), "error": error},
            status=status,
        )

    if request.method != "POST":
        return page()
    return form_action(
        request,
        form=TopicEditForm(request.POST, obj=topic),
        perform=lambda data: topic_edit(topic=topic, by=request.user, **data),
        page=page,
        success=_("The topic is saved."),
        then=reverse("secretariat:topics"),
    )


def _flags_page(request, *, error=None, status=200):
    form = FlagFilterForm(request.GET or None)
    disclosure = form.cleaned_data["disclosure"] if form.is_valid() else ""
    page = paginate(request, flag_queue(disclosure=disclosure))
    for flag in page:
        flag.hide_form = PostHideForm(obj=flag.post, prefix=f"p{flag.post_id}")
        flag.dismiss_form = FlagDismissForm(initial={"flag": flag.pk})
    return render(
        request,
        "topics/secretariat/flags.html",
        {"form": form, "page": page, "filtered": bool(disclosure), "error": error},
        status=status,
    )


@secretariat_required
@require_safe
def flags(request):
    return _flags_page(request)


@secretariat_required
@require_http_methods(["GET", "HEAD", "POST"])
def flag_dismiss_view(request, pk):
    flag = get_object_or_404(Flag, pk=pk)
    return form_action(
        request,
        form=FlagDismissForm(request.POST),
        perform=lambda data: flag_dismiss(flag=flag, by=request.user),
        page=lambda *, form=None, error=None, status: _flags_page(
            request, error=error or _("Nothing was changed."), status=status
        ),
        success=_("The flag is dismissed; the post stays as it is."),
        then=reverse("secretariat:topic_flags"),
    )


def _back(request, default):
    """Back to the flag queue when the action came from it, else to the post."""
    if request.POST.get("from") == "flags":
        return reverse("secretariat:topic_flags")
    return default


@secretariat_required
@require_http_methods(["GET", "HEAD", "POST"])
def post_hide_view(request, pk):
    post = get_object_or_404(Post.objects.select_related("thread__topic__area"), pk=pk)
    return form_action(
        request,
        form=PostHideForm(request.POST, obj=post, prefix=f"p{post.pk}"),
        perform=lambda data: post_hide(
            post=post, by=request.user, reason=data["reason"], version=data["version"]
        ),
        page=thread_page_for_action(request, post.thread),
        success=_("The post is hidden; members see that the secretariat hid it."),
        then=_back(request, post_url(post)),
    )


@secretariat_required
@require_http_methods(["GET", "HEAD", "POST"])
def post_restore_view(request, pk):
    post = get_object_or_404(Post.objects.select_related("thread__topic__area"), pk=pk)
    return form_action(
        request,
        form=PostRestoreForm(request.POST, obj=post),
        perform=lambda data: post_restore(post=post, by=request.user, version=data["version"]),
        page=thread_page_for_action(request, post.thread),
        success=_("The post is shown again."),
        then=post_url(post),
    )


THREAD_DONE = {
    "lock": gettext_lazy("The thread is locked: no new replies."),
    "unlock": gettext_lazy("The thread is open for replies again."),
    "pin": gettext_lazy("The thread is pinned to the top of its topic."),
    "unpin": gettext_lazy("The thread is no longer pinned."),
}


@secretariat_required
@require_http_methods(["GET", "HEAD", "POST"])
def thread_moderate_view(request, pk):
    thread = get_object_or_404(Thread.objects.select_related("topic__area"), pk=pk)
    return form_action(
        request,
        form=ThreadModerateForm(request.POST, obj=thread),
        perform=lambda data: thread_moderate(
            thread=thread, by=request.user, action=data["action"], version=data["version"]
        ),
        page=thread_page_for_action(request, thread),
        success=lambda _thread: THREAD_DONE[request.POST.get("action")],
        then=thread.get_absolute_url() + "?page=1",
    )
