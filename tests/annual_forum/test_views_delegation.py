"""Registration and the delegate's pages, through the views."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from aiii.models import OutboxEmail
from annual_forum.models import Delegate, Intervention
from tests.annual_forum.conftest import intervention_fields, pdf_bytes
from tests.annual_forum.factories import InterventionFactory, member_state

pytestmark = pytest.mark.django_db


def _registration(**overrides):
    data = {
        "full_name": "Anna Keller",
        "email": "anna@mission.example.org",
        "password1": "a long and unusual password",
        "password2": "a long and unusual password",
        "delegation": member_state("CH").pk,
        "official_title": "First Secretary",
        "official_email": "anna.keller@eda.example.ch",
        "website": "",
    }
    data.update(overrides)
    return data


def test_registration_with_a_credential_letter(client):
    letter = SimpleUploadedFile("letter.pdf", pdf_bytes(), content_type="application/pdf")
    response = client.post(
        reverse("forum:register"), {**_registration(), "credential_letter": letter}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("forum:register_done")
    delegate = Delegate.objects.get()
    assert delegate.status == Delegate.Status.PENDING
    assert delegate.delegation.code == "CH"
    assert len(delegate.credential_letter_sha256) == 64
    assert OutboxEmail.objects.get().to == ["anna@mission.example.org"]


def test_a_credential_letter_that_is_not_a_pdf_is_refused(client):
    letter = SimpleUploadedFile(
        "letter.pdf", b"MZ\x90\x00 an executable", content_type="application/pdf"
    )
    response = client.post(
        reverse("forum:register"), {**_registration(), "credential_letter": letter}
    )
    assert response.status_code == 400
    assert "This file is not a PDF" in response.content.decode()
    assert not Delegate.objects.exists()


def test_the_honeypot_stores_nothing(client):
    response = client.post(reverse("forum:register"), _registration(website="http://spam.example"))
    assert response.status_code == 302  # the robot is told nothing
    assert not Delegate.objects.exists()
    assert not OutboxEmail.objects.exists()


def test_registration_is_rate_limited_per_address(client, settings):
    settings.AIII_RATE_LIMITS = {**settings.AIII_RATE_LIMITS, "forum_register": "2/h"}
    for n in range(2):
        client.post(reverse("forum:register"), _registration(email=f"p{n}@example.org"))
    response = client.post(reverse("forum:register"), _registration(email="p3@example.org"))
    assert response.status_code == 429
    assert "Too many registrations" in response.content.decode()
    assert Delegate.objects.count() == 2


def test_a_delegate_submits_and_follows_an_intervention(client, delegate, meeting):
    client.force_login(delegate.user)
    response = client.post(
        reverse("forum:intervention_new"), {**intervention_fields(), "submit": "1"}
    )
    item = Intervention.objects.get()
    assert response.status_code == 302
    assert response["Location"] == item.get_manage_url()
    assert item.status == Intervention.Status.SUBMITTED
    page = client.get(item.get_manage_url()).content.decode()
    assert "State: Submitted" in page
    assert "Draft created" in page
    listing = client.get(reverse("forum:delegation")).content.decode()
    assert "Provenance in practice" in listing


def test_a_draft_is_saved_then_submitted(client, delegate, meeting):
    client.force_login(delegate.user)
    client.post(reverse("forum:intervention_new"), {**intervention_fields(), "draft": "1"})
    item = Intervention.objects.get()
    assert item.status == Intervention.Status.DRAFT
    response = client.post(
        reverse("forum:intervention_submit", kwargs={"pk": item.pk}), {"version": item.version}
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == Intervention.Status.SUBMITTED


def test_after_the_deadline_the_form_refuses_and_stores_nothing(client, delegate, meeting):
    client.force_login(delegate.user)
    page = client.get(reverse("forum:intervention_new")).content.decode()
    assert "<textarea" in page
    meeting.submission_deadline = timezone.now() - timedelta(seconds=1)
    meeting.save()
    response = client.post(
        reverse("forum:intervention_new"), {**intervention_fields(), "submit": "1"}
    )
    assert response.status_code == 400
    assert "closed at" in response.content.decode()
    assert not Intervention.objects.exists()


def test_a_stale_withdrawal_is_refused_with_the_current_state(
    client, delegate, meeting, secretariat
):
    from annual_forum.services.interventions import intervention_accept

    item = InterventionFactory(meeting=meeting, created_by=delegate.user)
    stale = item.version
    intervention_accept(intervention=item, by=secretariat, version=stale)
    client.force_login(delegate.user)
    response = client.post(
        reverse("forum:intervention_withdraw", kwargs={"pk": item.pk}), {"version": stale}
    )
    assert response.status_code == 409
    assert "State: Accepted" in response.content.decode()
    item.refresh_from_db()
    assert item.status == Intervention.Status.ACCEPTED


def test_a_returned_intervention_is_edited_with_a_pdf_then_without(
    client, delegate, meeting, secretariat
):
    from annual_forum.services.interventions import intervention_return

    item = InterventionFactory(meeting=meeting, created_by=delegate.user)
    item = intervention_return(
        intervention=item, by=secretariat, version=item.version, message="Add the PDF."
    )
    client.force_login(delegate.user)
    url = reverse("forum:intervention_edit", kwargs={"pk": item.pk})
    pdf = SimpleUploadedFile("s.pdf", pdf_bytes(), content_type="application/pdf")
    response = client.post(
        url, {**intervention_fields(title="Revised"), "version": item.version, "pdf": pdf}
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.title, item.pdf_size) == ("Revised", len(pdf_bytes()))
    client.post(
        url, {**intervention_fields(title="Revised"), "version": item.version, "remove_pdf": "on"}
    )
    item.refresh_from_db()
    assert (item.pdf.name, item.pdf_sha256, item.status) == ("", "", "returned")


def test_a_verified_delegate_lands_on_their_delegation_after_signing_in(client, delegate):
    response = client.post(
        reverse("account_login"), {"login": delegate.user.email, "password": "aiii-demo-2026"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("forum:delegation")
