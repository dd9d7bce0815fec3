"""The intervention and delegate services: rules, locks, events, audit entries and emails."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from aiii.errors import Conflict, InvalidState, ServiceError
from aiii.models import AuditEntry, OutboxEmail
from annual_forum.files import text_sha256
from annual_forum.models import Intervention, InterventionEvent
from annual_forum.services.interventions import (
    intervention_accept,
    intervention_create,
    intervention_decline,
    intervention_edit,
    intervention_publish,
    intervention_return,
    intervention_submit,
    intervention_withdraw,
)
from tests.annual_forum.conftest import intervention_fields, pdf_bytes
from tests.annual_forum.factories import PendingDelegateFactory, member_state

pytestmark = pytest.mark.django_db
S = Intervention.Status


def _submit(delegate, meeting, **overrides):
    return intervention_create(
        by=delegate.user,
        meeting=meeting,
        delegation=delegate.delegation,
        submit=True,
        **{"pdf": None, **intervention_fields(**overrides)},
    )


def test_a_verified_delegate_submits_an_intervention_of_their_delegation(delegate, meeting):
    item = _submit(delegate, meeting)

    assert item.status == S.SUBMITTED
    assert item.delegation == member_state("CH")
    assert item.submitted_at is not None
    assert item.text_html == (
        "<p>Nous remercions le réseau.</p>\n<ul>\n<li>point un</li>\n<li>point deux</li>\n</ul>"
    )
    assert item.text_sha256 == text_sha256(intervention_fields()["text_source"])
    assert [e.kind for e in item.events.all()] == ["created", "submitted"]
    assert list(
        AuditEntry.objects.filter(target_id=str(item.pk))
        .order_by("pk")
        .values_list("action", flat=True)
    ) == ["intervention.create", "intervention.submit"]
    (email,) = OutboxEmail.objects.all()
    assert email.to == [delegate.user.email]
    assert "Provenance in practice" in email.subject
    assert (
        email.idempotency_key
        == f"annual_forum.intervention:{item.pk}:v1:submitted:{delegate.user.pk}"
    )


def test_the_markdown_is_sanitised(delegate, meeting):
    item = _submit(delegate, meeting, text_source="<script>alert(1)</script> [x](javascript:evil)")
    assert "<script>" not in item.text_html
    assert "javascript:" not in item.text_html
    assert "&lt;script&gt;" in item.text_html


def test_after_the_deadline_nothing_is_stored(delegate, meeting):
    meeting.submission_deadline = timezone.now() - timedelta(minutes=1)
    meeting.save()
    with pytest.raises(ServiceError) as refused:
        _submit(delegate, meeting)
    assert "closed" in refused.value.message
    assert meeting.deadline_time_zone in refused.value.message
    assert not Intervention.objects.exists()
    assert not OutboxEmail.objects.exists()


def test_an_unverified_delegate_cannot_submit(meeting):
    pending = PendingDelegateFactory()
    with pytest.raises(ServiceError) as refused:
        _submit(pending, meeting)
    assert "Only verified delegates" in refused.value.message
    assert not Intervention.objects.exists()


def test_nobody_submits_for_another_delegation(delegate, meeting):
    with pytest.raises(ServiceError) as refused:
        intervention_create(
            by=delegate.user,
            meeting=meeting,
            delegation=member_state("FR"),
            submit=True,
            pdf=None,
            **intervention_fields(),
        )
    assert "your own delegation (Switzerland)" in refused.value.message
    assert not Intervention.objects.exists()


def test_the_whole_way_to_publication(delegate, meeting, secretariat):
    item = _submit(delegate, meeting)
    item = intervention_return(
        intervention=item, by=secretariat, version=item.version, message="Shorten it."
    )
    assert item.status == S.RETURNED
    item = intervention_edit(
        intervention=item,
        by=delegate.user,
        version=item.version,
        **intervention_fields(text_source="Shorter."),
    )
    item = intervention_submit(intervention=item, by=delegate.user, version=item.version)
    item = intervention_accept(intervention=item, by=secretariat, version=item.version)
    item = intervention_publish(intervention=item, by=secretariat, version=item.version)

    assert item.status == S.PUBLISHED
    assert item.published_at is not None
    assert item.text_sha256 == text_sha256("Shorter.")
    assert [e.kind for e in item.events.all()] == [
        "created",
        "submitted",
        "returned",
        "edited",
        "submitted",
        "accepted",
        "published",
    ]
    assert InterventionEvent.objects.get(kind="returned").message == "Shorten it."
    subjects = list(OutboxEmail.objects.order_by("pk").values_list("subject", flat=True))
    assert len(subjects) == 5  # submitted, returned, submitted, accepted, published
    assert "Returned for revision" in subjects[1]
    assert "Published" in subjects[-1]


def test_a_stale_decision_is_refused(delegate, meeting, secretariat):
    item = _submit(delegate, meeting)
    stale = item.version
    intervention_accept(intervention=item, by=secretariat, version=stale)
    with pytest.raises(Conflict):
        intervention_decline(intervention=item, by=secretariat, version=stale, reason="No.")
    item.refresh_from_db()
    assert item.status == S.ACCEPTED
    assert OutboxEmail.objects.count() == 2


def test_publication_needs_acceptance(delegate, meeting, secretariat):
    item = _submit(delegate, meeting)
    with pytest.raises(InvalidState):
        intervention_publish(intervention=item, by=secretariat, version=item.version)
    item.refresh_from_db()
    assert item.status == S.SUBMITTED


def test_the_delegate_withdraws_before_publication_only(delegate, meeting, secretariat):
    item = _submit(delegate, meeting)
    item = intervention_withdraw(intervention=item, by=delegate.user, version=item.version)
    assert item.status == S.WITHDRAWN
    assert AuditEntry.objects.filter(action="intervention.withdraw").count() == 1

    other = _submit(delegate, meeting, title="Second")
    other = intervention_accept(intervention=other, by=secretariat, version=other.version)
    other = intervention_publish(intervention=other, by=secretariat, version=other.version)
    with pytest.raises(InvalidState):
        intervention_withdraw(intervention=other, by=delegate.user, version=other.version)


def test_another_delegation_cannot_withdraw(delegate, other_delegate, meeting):
    item = _submit(delegate, meeting)
    with pytest.raises(ServiceError):
        intervention_withdraw(intervention=item, by=other_delegate.user, version=item.version)
    item.refresh_from_db()
    assert item.status == S.SUBMITTED


def test_a_pdf_is_kept_with_its_sha256(delegate, meeting, pdf_upload):
    import hashlib

    item = intervention_create(
        by=delegate.user,
        meeting=meeting,
        delegation=delegate.delegation,
        submit=True,
        pdf=pdf_upload,
        **intervention_fields(),
    )
    assert item.pdf_sha256 == hashlib.sha256(pdf_bytes()).hexdigest()
    assert item.pdf_size == len(pdf_bytes())
    with item.pdf.open("rb") as stored:
        assert stored.read() == pdf_bytes()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"GIF89a not a pdf at all", "not a PDF"),
        (b"%PDF-1.7\nthis is not really a PDF", "cannot be opened"),
    ],
)
def test_a_file_that_is_not_a_pdf_is_refused(delegate, meeting, content, message):
    upload = SimpleUploadedFile("statement.pdf", content, content_type="application/pdf")
    with pytest.raises(ServiceError) as refused:
        intervention_create(
            by=delegate.user,
            meeting=meeting,
            delegation=delegate.delegation,
            submit=True,
            pdf=upload,
            **intervention_fields(),
        )
    assert message in refused.value.message
    assert not Intervention.objects.exists()


def test_a_pdf_over_the_limit_is_refused(delegate, meeting, settings, pdf_upload):
    settings.AIII_INTERVENTION_PDF_MAX_BYTES = 100
    with pytest.raises(ServiceError) as refused:
        intervention_create(
            by=delegate.user,
            meeting=meeting,
            delegation=delegate.delegation,
            submit=True,
            pdf=pdf_upload,
            **intervention_fields(),
        )
    assert "too large" in refused.value.message
    assert "100" in refused.value.message
    assert not Intervention.objects.exists()


def test_a_delegation_no_longer_accredited_cannot_submit(meeting):
    from tests.annual_forum.factories import DelegateFactory, ObserverFactory

    observer = ObserverFactory(name="Former Observer", active=False)
    delegate = DelegateFactory(delegation=observer)
    with pytest.raises(ServiceError) as refused:
        _submit(delegate, meeting)
    assert refused.value.message == (
        "Former Observer is no longer accredited: it cannot submit interventions."
    )
    assert not Intervention.objects.exists()
