"""The record of who is signed in with which session (members.UserSession)."""

from django.contrib.sessions.models import Session
from django.utils import timezone

from ..models import UserSession


def sessions_forget_ended():
    """Drop the records of sessions that ended (signed out, expired, or cleared); returns how many.

    Suspension deletes a member's live sessions through these records; records of sessions that
    are gone only take space.
    """
    live = Session.objects.filter(expire_date__gt=timezone.now()).values("session_key")
    deleted, _ = UserSession.objects.exclude(session_key__in=live).delete()
    return deleted
