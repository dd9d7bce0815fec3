"""Who may do what with people: predicates over aiii's roles and the membership status."""

from aiii.permissions import can_use_members_area, is_delegate, is_member, is_secretariat

from .models import Profile


def can_view_directory(user):
    """Active members and the secretariat see the directory and members' profile pages."""
    return can_use_members_area(user)


def can_edit_own_profile(user):
    """Anyone with a role keeps a profile: members edit what others see, everyone their settings.

    Applicants have no role yet: their details live in the application until it is approved.
    """
    return is_member(user) or is_secretariat(user) or is_delegate(user)


def can_suspend(profile):
    return profile.status == Profile.Status.ACTIVE


def can_reinstate(profile):
    return profile.status == Profile.Status.SUSPENDED
