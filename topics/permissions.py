"""Who may do what in the topic threads. Predicates take (user, obj=None)."""

from aiii.permissions import can_use_members_area, is_member, is_secretariat


def can_view_topics(user, obj=None):
    return can_use_members_area(user)


def can_see_topic(user, topic):
    """Whether `user` may read `topic` (a Topic): hidden topics are for the secretariat only.

    Reads the membership status from the user's profile, so a suspended member (who keeps
    the member group until reinstated or not) sees nothing.
    """
    if not getattr(user, "is_active", False):
        return False
    if is_secretariat(user):
        return True
    profile = getattr(user, "profile", None)
    active = profile is not None and profile.status == "active"
    return is_member(user) and active and not topic.hidden


def can_post_in(user, thread):
    """Whether the reply form is offered (the service decides; this only hides the form)."""
    return can_view_topics(user) and not thread.locked and not thread.topic.hidden


def can_edit_post(user, post):
    return post.author_id == user.pk and not post.hidden and not post.thread.locked


def can_view_history(user, post):
    """The edit history: the secretariat, and the post's author."""
    return is_secretariat(user) or post.author_id == user.pk


def can_moderate(user, obj=None):
    return is_secretariat(user)
