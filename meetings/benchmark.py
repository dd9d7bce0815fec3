"""Pages of the meetings app for the portal benchmark: the meeting list and a workspace."""


def pages():
    from .models import Meeting

    meeting = Meeting.objects.filter(reference="TEN/1").first()
    found = [("meetings list", "/meetings/", "alice@example.org")]
    if meeting is not None:
        found.append(("meeting workspace", f"/meetings/{meeting.pk}/", "alice@example.org"))
    found.append(("secretariat meetings", "/secretariat/meetings/", "secretariat@example.org"))
    return found
