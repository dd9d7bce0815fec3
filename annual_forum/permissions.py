"""Who may do what in the annual forum that is not a role: see aiii/permissions.py."""


def pending_roles(user):
    """A signed-in account whose delegate registration awaits the secretariat's verification
    (see aiii.permissions.pending_roles)."""
    from .models import Delegate

    if Delegate.objects.filter(user=user, status=Delegate.Status.PENDING).exists():
        return {"delegate_pending"}
    return set()
