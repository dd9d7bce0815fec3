"""Who may do what with people: predicates over aiii's roles and the membership status."""

from aiii.permissions import can_use_members_area, is_delegate, is_member, is_secretariat

from .models import Profile


def can_view_directory(user, obj=None):
    """Active members and the secretariat see the directory and members' profile pages."""
    return can_use_members_area(user)


def can_edit_own_profile(user, obj=None):
    """Anyone with a role keeps a profile: members edit what others see, everyone their settings.

    Applicants have no role yet: their details live in the application until it is approved.
    """
    return is_member(user) or is_secretariat(user) or is_delegate(user)


def can_suspend(user, obj=None):
    """The secretariat suspends active members (`obj`: the member's profile)."""
    return is_secretariat(user) and (obj is None or obj.status == Profile.Status.ACTIVE)


def can_reinstate(user, obj=None):
    """The secretariat reinstates suspended members (`obj`: the member's profile)."""
    return is_secretariat(user) and (obj is None or obj.status == Profile.Status.SUSPENDED)


def pending_roles(user):
    """A signed-in account with a membership application is an applicant (see
    aiii.permissions.pending_roles)."""
    from .models import MembershipApplication

    if MembershipApplication.objects.filter(user=user).exists():
        return {"applicant"}
    return set()


def landing_url(user):
    """Applicants work from their application (see aiii.permissions.landing_url); members and
    the secretariat land on their home at `/`, the portal's default."""
    from django.urls import reverse

    from aiii.permissions import pending_roles

    if not (is_member(user) or is_secretariat(user)) and "applicant" in pending_roles(user):
        return reverse("members:application_status")
    return None
