"""Who may do what with meetings. Object rules read the participant row or the meeting."""

from aiii.permissions import GEG_GROUP, is_member, is_secretariat, user_roles


def can_use_meetings(user, obj=None):
    """Active members, GEG delegates and the secretariat have a meetings page."""
    return is_member(user) or is_secretariat(user) or GEG_GROUP in user_roles(user)


def can_manage_meetings(user, obj=None):
    return is_secretariat(user)


def can_upload_document(user, obj=None):
    """The secretariat; participants too when the meeting (`obj`) allows it. The caller has
    already fetched the meeting through `visible_to`, so a participant is anyone else here."""
    if is_secretariat(user):
        return True
    return obj is not None and obj.allow_participant_uploads and can_use_meetings(user)


def can_read_minutes(user, obj=None):
    """`obj`: the Minutes. Participants read them once circulated; the secretariat always."""
    if is_secretariat(user):
        return True
    return obj is not None and obj.status != obj.Status.DRAFT


def can_comment_minutes(user, obj=None):
    return obj is not None and obj.status == obj.Status.CIRCULATED and not is_secretariat(user)


def sees_attributed_minutes(user, meeting):
    """Under the Chatham House Rule only the secretariat reads who said what."""
    return is_secretariat(user) or not meeting.is_chatham_house
