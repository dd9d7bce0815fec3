"""The public pages: what they show, what they never show, their size and query counts."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from annual_forum.models import Intervention
from annual_forum.services.meetings import speakers_list_mark_current, speakers_list_publish
from tests.annual_forum.conftest import pdf_bytes
from tests.annual_forum.factories import InterventionFactory, MeetingFactory, member_state

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(meeting):
    item = InterventionFactory(
        meeting=meeting,
        delegation=member_state("EG"),
        published=True,
        language="ar",
        title="مداخلة مصر",
        text_source="نشكر الشبكة.",
        ai_disclosure=Intervention.AiDisclosure.TRANSLATED,
        ai_tool="Translator X",
    )
    item.pdf.save("eg.pdf", ContentFile(pdf_bytes()), save=False)
    item.pdf_sha256 = "a" * 64
    item.pdf_size = len(pdf_bytes())
    item.save()
    return item


def test_the_current_year_page(client, meeting, published):
    InterventionFactory(meeting=meeting, title="Still under review")
    response = client.get(reverse("forum:current"))
    html = response.content.decode()
    assert response.status_code == 200
    assert f"Annual public meeting {meeting.year}" in html
    assert "Geneva, Conference Hall A" in html
    assert "Streamed live" in html
    assert "<li>Opening</li>" in html
    assert f"({meeting.deadline_time_zone})" in html
    assert meeting.deadline_label in html
    assert "مداخلة مصر" in html
    assert "Egypt" in html
    assert "Still under review" not in html
    assert "No outcome summary has been published for this year yet." in html
    assert len(response.content) < 100_000


def test_a_year_page_lists_the_other_years(client, meeting):
    MeetingFactory(year=meeting.year - 1)
    response = client.get(reverse("forum:year", args=[meeting.year - 1]))
    assert response.status_code == 200
    assert f'href="/forum/{meeting.year}/"' in response.content.decode()
    assert client.get(reverse("forum:year", args=[1999])).status_code == 404


def test_the_intervention_page_states_language_disclosure_and_fingerprints(client, published):
    response = client.get(published.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert '<div class="prose forum-text" lang="ar" dir="rtl">' in html
    assert "Translated by AI from another language (Translator X)" in html
    assert published.text_sha256 in html
    assert "a" * 64 in html
    assert published.get_pdf_url() in html
    assert len(response.content) < 100_000


def test_the_pdf_of_a_published_intervention(client, published):
    response = client.get(published.get_pdf_url())
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == pdf_bytes()


def test_the_intervention_must_be_asked_for_under_its_own_year(client, published):
    url = reverse("forum:intervention", kwargs={"year": 1999, "pk": published.pk})
    assert client.get(url).status_code == 404


def test_the_speakers_list_is_public_once_published(client, meeting, published, secretariat):
    url = reverse("forum:speakers", args=[meeting.year])
    assert client.get(url).status_code == 404
    second = InterventionFactory(
        meeting=meeting, delegation=member_state("JP"), status=Intervention.Status.ACCEPTED
    )
    meeting = speakers_list_publish(meeting=meeting, by=secretariat, version=meeting.version)
    meeting = speakers_list_mark_current(
        meeting=meeting, intervention=published, by=secretariat, version=meeting.version
    )
    html = client.get(url).content.decode()
    assert "Speaking now" in html
    assert "<strong>Egypt</strong>: " + published.speaker_name in html
    assert "Japan: " + second.speaker_name in html  # next
    assert second.title not in html  # accepted, not published: its title stays private


def test_the_atom_feed_carries_published_interventions(client, published, meeting):
    InterventionFactory(meeting=meeting, title="Not yet")
    response = client.get(reverse("forum:feed"))
    body = response.content.decode()
    assert response["Content-Type"].startswith("application/atom+xml")
    assert "مداخلة مصر" in body
    assert "Not yet" not in body


def test_the_printable_record(client, meeting, published):
    InterventionFactory(meeting=meeting, title="Not yet")
    html = client.get(reverse("forum:record", args=[meeting.year])).content.decode()
    assert 'Egypt: <span lang="ar">مداخلة مصر</span>' in html
    assert "Not yet" not in html


def test_the_year_page_query_count_does_not_grow(client, meeting, django_assert_num_queries):
    InterventionFactory(meeting=meeting, published=True)
    url = reverse("forum:year", args=[meeting.year])
    client.cookies["seen"] = "1"  # past the cache of public pages: measure the page itself
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for code in ("FR", "DE", "JP", "BR", "KE", "IN", "MX"):
        InterventionFactory(meeting=meeting, delegation=member_state(code), published=True)
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(url)


def test_without_any_meeting_the_forum_says_so(client):
    response = client.get(reverse("forum:current"))
    assert response.status_code == 200
    assert "has not been announced yet" in response.content.decode()


def test_the_current_meeting_is_this_years_else_the_next_else_the_last():
    from datetime import date

    from annual_forum.selectors import current_meeting

    MeetingFactory(year=2019)
    assert current_meeting(today=date(2024, 5, 1)).year == 2019
    MeetingFactory(year=2026)
    MeetingFactory(year=2025)
    assert current_meeting(today=date(2024, 5, 1)).year == 2025
    assert current_meeting(today=date(2026, 5, 1)).year == 2026
    assert current_meeting(today=date(2030, 5, 1)).year == 2026


def test_the_year_page_orders_delegations_by_their_name_in_the_readers_language(client, meeting):
    for code, title in (("DE", "From Germany"), ("BR", "From Brazil")):
        InterventionFactory(
            meeting=meeting, delegation=member_state(code), published=True, title=title
        )
    english = client.get(reverse("forum:current")).content.decode()
    assert english.index("From Brazil") < english.index("From Germany")
    french = client.get(reverse("forum:current"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Allemagne" in french and "Brésil" in french
    assert french.index("From Germany") < french.index("From Brazil")  # Allemagne, Brésil
