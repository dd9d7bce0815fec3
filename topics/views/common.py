"""What the topics' member pages share: finding a topic, thread or post the reader may see, and
the data sets their kept pages show."""

from django.urls import reverse
from django.utils.functional import lazy

from aiii.access import get_visible_or_404
from members.models import MEMBERS_DATA

from ..models import TOPICS_DATA, Post, Thread, Topic
from ..selectors import (
    page_of,
)

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


def _form_error(form):
    if form is None:
        return None
    return " ".join(str(message) for messages in form.errors.values() for message in messages)
