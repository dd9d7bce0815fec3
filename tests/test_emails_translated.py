"""Emails are written in the recipient's language (their profile's), whichever app sends them,
and the pages their links open (an RSVP, an unsubscribe) answer in that language too."""

import re

import pytest

from aiii.models import OutboxEmail
from annual_forum.services.delegates import delegate_verify
from meetings.services.participants import InviteMode, meeting_invite, rsvp_token
from members.models import NotificationPreference, Profile
from members.services.people import membership_suspend
from tests.annual_forum.factories import PendingDelegateFactory
from tests.meetings.factories import MeetingFactory
from tests.members.factories import MemberProfileFactory
from tests.topics.conftest import start
from topics.models import Topic
from topics.services.notifications import unsubscribe_token
from topics.services.subscriptions import subscription_add

pytestmark = pytest.mark.django_db

# (language, its code in <html lang>, the html's direction)
LANGUAGES = [
    ("fr", "fr", "ltr"),
    ("es", "es", "ltr"),
    ("ar", "ar", "rtl"),
    ("zh-hans", "zh-hans", "ltr"),
    ("ru", "ru", "ltr"),
]


def only_email_to(user):
    (email,) = OutboxEmail.objects.filter(to=[user.email])
    return email


def assert_written_in(email, english, language, direction):
    if email.body_html:  # the plain-text-only emails (iCalendar invitations) have no HTML part
        assert f'<html lang="{language}" dir="{direction}">' in email.body_html
    assert email.subject != english.subject
    assert email.body_text != english.body_text
    # Not English with a translated frame: the greeting and sentences changed.
    first_line = english.body_text.strip().splitlines()[0]
    assert first_line not in email.body_text


def suspension_email(language, secretariat):
    profile = MemberProfileFactory(language=language)
    membership_suspend(profile=profile, by=secretariat, reason="Code.", version=profile.version)
    return only_email_to(profile.user)


def invitation_email(language, secretariat):
    member = MemberProfileFactory(language=language).user
    meeting_invite(
        meeting=MeetingFactory(), by=secretariat, mode=InviteMode.CHOSEN, emails=[member.email]
    )
    return only_email_to(member)


def verification_email(language, secretariat):
    delegate = PendingDelegateFactory()
    Profile.objects.filter(user=delegate.user).update(language=language)
    delegate_verify(delegate=delegate, by=secretariat, version=delegate.version)
    return only_email_to(delegate.user)


def new_post_email(language, secretariat, capture):
    topic = Topic.objects.get(area__slug="watermarking-provenance")
    author = MemberProfileFactory().user
    watcher = MemberProfileFactory(
        language=language, notification_preference=NotificationPreference.IMMEDIATELY
    ).user
    subscription_add(user=watcher, topic=topic)
    with capture(execute=True):
        start(topic, author)
    return only_email_to(watcher)


@pytest.mark.parametrize("language,code,direction", LANGUAGES)
@pytest.mark.parametrize(
    "send", [suspension_email, invitation_email, verification_email, new_post_email]
)
def test_emails_are_written_in_the_recipients_language(
    send, language, code, direction, secretariat, django_capture_on_commit_callbacks
):
    extra = (django_capture_on_commit_callbacks,) if send is new_post_email else ()
    english = send("en", secretariat, *extra)
    translated = send(language, secretariat, *extra)
    assert_written_in(translated, english, code, direction)


def test_the_rsvp_page_answers_in_the_language_of_its_email(client, secretariat):
    member = MemberProfileFactory(language="ru").user
    meeting = MeetingFactory()
    meeting_invite(meeting=meeting, by=secretariat, mode=InviteMode.CHOSEN, emails=[member.email])
    participant = meeting.participants.get(user=member)
    # Opened in a browser that asks for English, without signing in.
    page = client.get(
        f"/meetings/rsvp/{rsvp_token(participant)}/", headers={"accept-language": "en"}
    ).content.decode()
    assert re.search(r'<html lang="ru" dir="ltr">', page)


def test_the_unsubscribe_page_answers_in_the_language_of_its_email(client):
    member = MemberProfileFactory(language="ar").user
    page = client.get(
        f"/topics/unsubscribe/{unsubscribe_token(member)}/", headers={"accept-language": "en"}
    ).content.decode()
    assert '<html lang="ar" dir="rtl">' in page
