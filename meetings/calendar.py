"""iCalendar files: the invitation attached to each email (METHOD:REQUEST or CANCEL) and a
member's private feed. One UID per meeting, its version as SEQUENCE, times in UTC."""

from datetime import UTC
from urllib.parse import urlparse

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress

PRODID = "-//AIII Exchange//Meetings//EN"
REQUEST = "REQUEST"
CANCEL = "CANCEL"
PUBLISH = "PUBLISH"


def meeting_uid(meeting):
    """Stable for the meeting's whole life: calendars update the event instead of adding one."""
    host = urlparse(settings.AIII_SITE_URL).hostname or "aiii.invalid"
    return f"meeting-{meeting.pk}@{host}"


def _event(meeting, *, cancelled=False):
    from .models import Meeting

    event = Event()
    event.add("uid", meeting_uid(meeting))
    event.add("sequence", meeting.version)
    event.add("dtstamp", timezone.now().astimezone(UTC))
    event.add("dtstart", meeting.start.astimezone(UTC))
    event.add("dtend", meeting.end.astimezone(UTC))
    event.add("summary", f"{meeting.reference} {meeting.title}")
    if meeting.venue:
        event.add("location", meeting.venue)
    # The join link is not put in the file: it is for participants and the file travels; the
    # workspace, behind sign-in, shows it.
    event.add("url", settings.AIII_SITE_URL + meeting.get_absolute_url())
    event.add(
        "description",
        f"{meeting.get_confidentiality_display()}. "
        f"{settings.AIII_SITE_URL}{meeting.get_absolute_url()}",
    )
    organizer = vCalAddress(f"mailto:{settings.AIII_CONTACT_EMAIL}")
    organizer.params["cn"] = "AIII Secretariat"
    event.add("organizer", organizer)
    gone = cancelled or meeting.status == Meeting.Status.CANCELLED
    event.add("status", "CANCELLED" if gone else "CONFIRMED")
    return event


def _calendar(method):
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", method)
    return calendar


def invitation_ics(meeting, *, method=REQUEST):
    """The text of the invitation (REQUEST) or cancellation (CANCEL) of `meeting`."""
    calendar = _calendar(method)
    calendar.add_component(_event(meeting, cancelled=method == CANCEL))
    return calendar.to_ical().decode()


def invitation_attachment(meeting, *, method=REQUEST):
    """An outbox attachment ({filename, content, mimetype})."""
    return {
        "filename": "invite.ics" if method == REQUEST else "cancel.ics",
        "content": invitation_ics(meeting, method=method),
        "mimetype": f"text/calendar; method={method}",  # Django adds the charset
    }


def feed_ics(meetings):
    calendar = _calendar(PUBLISH)
    calendar.add("x-wr-calname", "AIII Exchange meetings")
    for meeting in meetings:
        calendar.add_component(_event(meeting))
    return calendar.to_ical()
