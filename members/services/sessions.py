"""The record of who is signed in with which session (members.UserSession)."""

from importlib import import_module

from django.conf import settings
from django.utils import timezone

from ..models import UserSession


def sessions_forget_ended():
    """Drop the records of sessions that ended (signed out, expired, or cleared); returns how many.

    Suspension deletes a member's live sessions through these records; records of sessions that
    are gone only take space.
    """
    Session = import_module(settings.SESSION_ENGINE).SessionStore.get_model_class()
    live = Session.objects.filter(expire_date__gt=timezone.now()).values("session_key")
    deleted, _ = UserSession.objects.exclude(session_key__in=live).delete()
    return deleted
