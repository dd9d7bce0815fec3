"""topics' routes in the access table (see tests/access_table.py).

The permalink is tried on a post the secretariat has hid: members are still led to it (it shows
as hidden there). The member of the table wrote `own_post`, so editing it is theirs alone.
"""

from tests.access_table import (
    LOGIN,
    MEMBERS_PAGE,
    REDIRECT,
    SECRETARIAT_ACTION,
    SECRETARIAT_PAGE,
    row,
)

MEMBERS_ACTION = row(LOGIN, 403, REDIRECT, LOGIN, 403, REDIRECT)


def extend_world(world):
    from tests.members.factories import MemberProfileFactory
    from topics.models import Topic
    from topics.services.moderation import post_flag, post_hide
    from topics.services.notifications import unsubscribe_token
    from topics.services.posts import post_reply, thread_start

    member = world["users"]["member"]
    poster = MemberProfileFactory(full_name="Thread Starter").user
    topic = Topic.objects.select_related("area").get(area__slug="standards-tools")
    thread = thread_start(
        topic=topic, by=poster, title="Access thread", source="Opening.", ai_disclosure="none"
    )
    own = post_reply(thread=thread, by=member, source="Mine.", ai_disclosure="none")
    other = post_reply(thread=thread, by=poster, source="Theirs.", ai_disclosure="none")
    hidden = post_reply(thread=thread, by=poster, source="Hidden text.", ai_disclosure="none")
    hidden = post_hide(
        post=hidden, by=world["users"]["secretariat"], reason="Test", version=hidden.version
    )
    flag = post_flag(post=other, by=member, reason="Check it")
    world.update(
        topic=topic,
        thread=thread,
        own_post=own,
        other_post=other,
        hidden_post=hidden,
        flag=flag,
        unsubscribe_token=unsubscribe_token(member),
    )


def _slug(w):
    return {"slug": w["topic"].area.slug}


def _thread(w):
    return {"pk": w["thread"].pk}


TABLE = {
    "topics:list": (None, MEMBERS_PAGE),
    "topics:topic": (_slug, MEMBERS_PAGE),
    "topics:thread_new": (_slug, MEMBERS_PAGE),
    "topics:topic_watch": (_slug, MEMBERS_ACTION),
    # The member replied, and two posts came after theirs: opening the thread jumps to the first
    # unread one (a redirect to its page); the secretariat never opened it and sees page 1.
    "topics:thread": (_thread, row(LOGIN, 403, REDIRECT, LOGIN, 403, 200)),
    "topics:reply": (_thread, MEMBERS_PAGE),
    "topics:thread_watch": (_thread, MEMBERS_ACTION),
    "topics:post": (lambda w: {"pk": w["hidden_post"].pk}, MEMBERS_ACTION),
    "topics:post_edit": (
        lambda w: {"pk": w["own_post"].pk},
        row(LOGIN, 403, 200, LOGIN, 403, 404),
    ),
    "topics:post_flag": (lambda w: {"pk": w["other_post"].pk}, MEMBERS_PAGE),
    "topics:post_history": (lambda w: {"pk": w["own_post"].pk}, MEMBERS_PAGE),
    "topics:unsubscribe": (
        lambda w: {"token": w["unsubscribe_token"]},
        row(200, 200, 200, 200, 200, 200),
    ),
    "topics:search": (None, MEMBERS_PAGE),
    "secretariat:topics": (None, SECRETARIAT_PAGE),
    "secretariat:topic_edit": (_slug, SECRETARIAT_PAGE),
    "secretariat:topic_flags": (None, SECRETARIAT_PAGE),
    "secretariat:topic_flag_dismiss": (lambda w: {"pk": w["flag"].pk}, SECRETARIAT_ACTION),
    "secretariat:topic_post_hide": (lambda w: {"pk": w["other_post"].pk}, SECRETARIAT_ACTION),
    "secretariat:topic_post_restore": (
        lambda w: {"pk": w["hidden_post"].pk},
        SECRETARIAT_ACTION,
    ),
    "secretariat:topic_thread_moderate": (_thread, SECRETARIAT_ACTION),
}
