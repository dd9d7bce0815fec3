"""Who may do what in the annual forum that is not a role: see aiii/permissions.py."""


def pending_roles(user):
    """A signed-in account whose delegate registration awaits the secretariat's verification
    (see aiii.permissions.pending_roles)."""
    from .models import Delegate

    if Delegate.objects.filter(user=user, status=Delegate.Status.PENDING).exists():
        return {"delegate_pending"}
    return set()


def landing_url(user):
    """Delegates, verified or waiting, work from their delegation's page."""
    from django.urls import reverse

    from aiii.permissions import is_delegate, pending_roles

    if is_delegate(user) or "delegate_pending" in pending_roles(user):
        return reverse("forum:delegation")
    return None
