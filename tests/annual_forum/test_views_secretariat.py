"""The secretariat's forum pages: decisions through the views, the queue's filters, the
speakers list buttons, the CSV export, delegate verification, the meeting form."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from aiii.models import AuditEntry
from annual_forum.models import AnnualMeeting, Delegate, Delegation, Intervention
from tests.annual_forum.factories import (
    InterventionFactory,
    ObserverFactory,
    PendingDelegateFactory,
    member_state,
)

pytestmark = pytest.mark.django_db


def _decide(client, item, action, **data):
    return client.post(
        reverse("secretariat:forum_intervention_decide", kwargs={"pk": item.pk, "action": action}),
        data,
    )


def test_accept_then_publish(secretariat_client, meeting):
    item = InterventionFactory(meeting=meeting)
    response = _decide(secretariat_client, item, "accept", version=item.version)
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == Intervention.Status.ACCEPTED
    _decide(secretariat_client, item, "publish", version=item.version)
    item.refresh_from_db()
    assert item.status == Intervention.Status.PUBLISHED


def test_a_second_decision_on_a_stale_page_is_refused(secretariat_client, meeting):
    item = InterventionFactory(meeting=meeting)
    stale = item.version
    _decide(secretariat_client, item, "accept", version=stale)
    response = _decide(
        secretariat_client, item, "decline", **{"decline-version": stale, "decline-message": "No"}
    )
    assert response.status_code == 409
    assert "State: Accepted" in response.content.decode()
    item.refresh_from_db()
    assert item.status == Intervention.Status.ACCEPTED


def test_return_needs_a_message(secretariat_client, meeting):
    item = InterventionFactory(meeting=meeting)
    response = _decide(
        secretariat_client, item, "return", **{"return-version": item.version, "return-message": ""}
    )
    assert response.status_code == 400
    item.refresh_from_db()
    assert item.status == Intervention.Status.SUBMITTED


def test_the_queue_filters_by_kind_and_language(secretariat_client, meeting):
    InterventionFactory(meeting=meeting, title="Swiss English")
    InterventionFactory(
        meeting=meeting,
        delegation=ObserverFactory(kind=Delegation.Kind.INTERGOVERNMENTAL),
        title="IGO Spanish",
        language="es",
    )
    url = reverse("secretariat:forum_interventions")
    html = secretariat_client.get(url, {"kind": 2}).content.decode()
    assert "IGO Spanish" in html and "Swiss English" not in html
    html = secretariat_client.get(url, {"language": "en"}).content.decode()
    assert "Swiss English" in html and "IGO Spanish" not in html


def test_the_queue_query_count_does_not_grow(
    secretariat_client, meeting, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    InterventionFactory(meeting=meeting)
    url = reverse("secretariat:forum_interventions")
    secretariat_client.get(url)  # the session's first request does more (session, MFA state)
    with CaptureQueriesContext(connection) as few:
        secretariat_client.get(url)
    for code in ("FR", "DE", "JP", "BR", "KE", "IN"):
        InterventionFactory(meeting=meeting, delegation=member_state(code))
    with django_assert_num_queries(len(few.captured_queries)):
        secretariat_client.get(url)


def test_the_csv_export_is_a_post_and_is_audited(secretariat_client, meeting):
    InterventionFactory(meeting=meeting, title="=HYPERLINK(evil)", status="published")
    response = secretariat_client.post(
        reverse("secretariat:forum_interventions_export"), {"status": "published"}
    )
    body = b"".join(response.streaming_content).decode()
    lines = body.lstrip("\ufeff").splitlines()
    assert lines[0].startswith("id,year,delegation,delegation kind,speaker")
    assert len(lines) == 2
    assert "'=HYPERLINK(evil)" in lines[1]
    entry = AuditEntry.objects.get(action="forum.interventions_export")
    assert entry.data == {"status": "published"}


def test_the_speakers_list_buttons(secretariat_client, meeting):
    first = InterventionFactory(meeting=meeting, status="accepted", delegation=member_state("FR"))
    second = InterventionFactory(meeting=meeting, status="accepted", delegation=member_state("JP"))
    base = {"year": meeting.year}
    secretariat_client.post(
        reverse("secretariat:forum_speakers_move", kwargs=base),
        {"version": meeting.version, "intervention": second.pk, "direction": "up"},
    )
    meeting.refresh_from_db()
    html = secretariat_client.get(reverse("secretariat:forum_speakers", kwargs=base)).content
    assert html.decode().index("Japan") < html.decode().index("France")
    secretariat_client.post(
        reverse("secretariat:forum_speakers_publish", kwargs=base), {"version": meeting.version}
    )
    meeting.refresh_from_db()
    assert meeting.speakers_list_published
    secretariat_client.post(
        reverse("secretariat:forum_speakers_current", kwargs=base),
        {"version": meeting.version, "intervention": first.pk},
    )
    meeting.refresh_from_db()
    assert meeting.current_speaker == first


def test_verifying_a_delegate(secretariat_client):
    pending = PendingDelegateFactory()
    EmailAddress.objects.filter(user=pending.user).update(verified=True)
    response = secretariat_client.post(
        reverse("secretariat:forum_delegate_verify", kwargs={"pk": pending.pk}),
        {"version": pending.version},
    )
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.status == Delegate.Status.VERIFIED
    assert pending.user.groups.filter(name="delegate").exists()


def test_creating_the_meeting_with_a_deadline_in_its_time_zone(secretariat_client):
    response = secretariat_client.post(
        reverse("secretariat:forum_meeting_new"),
        {
            "year": 2031,
            "date": "2031-10-01",
            "venue": "Geneva",
            "hybrid_access": "",
            "programme_source": "# Opening",
            "deadline": "2031-09-01T18:00",
            "deadline_time_zone": "Europe/Zurich",
        },
    )
    assert response.status_code == 302
    meeting = AnnualMeeting.objects.get(year=2031)
    assert meeting.submission_deadline.isoformat() == "2031-09-01T16:00:00+00:00"
    assert meeting.deadline_label == "2031-09-01 18:00"
    assert meeting.programme_html == "<h2>Opening</h2>"


def test_editing_the_meeting_on_a_stale_page_is_refused(secretariat_client, meeting):
    url = reverse("secretariat:forum_meeting_edit", kwargs={"year": meeting.year})
    data = {
        "year": meeting.year,
        "date": meeting.date.isoformat(),
        "venue": "Vienna",
        "hybrid_access": "",
        "programme_source": "Opening",
        "deadline": "2030-01-01T12:00",
        "deadline_time_zone": "UTC",
        "version": meeting.version,
    }
    assert secretariat_client.post(url, data).status_code == 302
    meeting.refresh_from_db()
    assert (meeting.venue, meeting.version) == ("Vienna", 2)
    response = secretariat_client.post(url, {**data, "venue": "Paris", "version": 1})
    assert response.status_code == 400
    assert "This changed after you opened the page" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.venue == "Vienna"


def test_accrediting_and_withdrawing_an_observer(secretariat_client):
    url = reverse("secretariat:forum_delegations")
    secretariat_client.post(url, {"kind": 2, "name": "Regional Patent Office"})
    observer = Delegation.objects.get(name="Regional Patent Office")
    assert observer.active
    secretariat_client.post(url, {"toggle": observer.pk})
    observer.refresh_from_db()
    assert not observer.active
    assert list(AuditEntry.objects.order_by("pk").values_list("action", flat=True)) == [
        "forum.delegation_create",
        "forum.delegation_update",
    ]


def test_the_credential_letter_is_for_the_secretariat(client, secretariat_client):
    from django.core.files.base import ContentFile

    from tests.annual_forum.conftest import pdf_bytes

    pending = PendingDelegateFactory()
    pending.credential_letter.save("letter.pdf", ContentFile(pdf_bytes()))
    url = reverse("secretariat:forum_delegate_letter", kwargs={"pk": pending.pk})
    response = secretariat_client.get(url)
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == pdf_bytes()
    client.force_login(pending.user)
    assert client.get(url).status_code == 403


def test_clearing_the_current_speaker(secretariat_client, meeting):
    first = InterventionFactory(meeting=meeting, status="accepted")
    meeting.current_speaker = first
    meeting.save()
    response = secretariat_client.post(
        reverse("secretariat:forum_speakers_current", kwargs={"year": meeting.year}),
        {"version": meeting.version, "intervention": ""},
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.current_speaker is None


def test_the_dashboard_has_the_forum_tools_and_panel(secretariat_client, meeting):
    InterventionFactory(meeting=meeting)
    html = secretariat_client.get(reverse("secretariat:dashboard")).content.decode()
    assert reverse("secretariat:forum_meetings") in html
    assert reverse("secretariat:forum_delegates") in html
    assert "1 waiting for a decision" in html
    # Kept until an intervention changes: a second one shows on the next request, on the
    # dashboard and in the home's queue count.
    InterventionFactory(meeting=meeting)
    html = secretariat_client.get(reverse("secretariat:dashboard")).content.decode()
    assert "2 waiting for a decision" in html
    home = secretariat_client.get("/").content.decode()
    assert re.search(r"Interventions to decide\s*<span[^>]*>2</span>", home)
