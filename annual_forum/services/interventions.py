"""Interventions: drafted and submitted by a verified delegate of their delegation, decided
and published by the secretariat. Every transition locks the row at the version the acting
page showed (aiii.state.locked), records an event and an audit entry, and emails the delegate
who drafted it through the outbox."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aiii.audit import audit_record
from aiii.errors import ServiceError
from aiii.markdown import render_markdown
from aiii.outbox import email_queue
from aiii.state import email_key, locked

from ..cache import public_changed
from ..files import pdf_check, text_sha256
from ..models import AnnualMeeting, Delegate, Intervention, InterventionEvent

Status = Intervention.Status
Event = InterventionEvent.Kind

CONTENT_FIELDS = (
    "speaker_name",
    "speaker_title",
    "title",
    "language",
    "text_source",
    "mode",
    "speaking_minutes",
    "ai_disclosure",
    "ai_tool",
)


def _verified_delegate(user, delegation):
    """The user's verified registration for `delegation`, or ServiceError."""
    delegate = Delegate.objects.select_related("delegation").filter(user=user).first()
    if delegate is None or not delegate.is_verified:
        raise ServiceError(
            _(
                "Only verified delegates can submit interventions. The secretariat has not "
                "verified your registration yet."
            )
        )
    if not delegate.delegation.active:
        raise ServiceError(
            _("%(name)s is no longer accredited: it cannot submit interventions.")
            % {"name": delegate.delegation.name}
        )
    if delegation is not None and delegate.delegation_id != delegation.pk:
        raise ServiceError(
            _("You can only submit interventions for your own delegation (%(name)s).")
            % {"name": delegate.delegation.name}
        )
    return delegate


def _deadline_check(meeting, now=None):
    if not meeting.submissions_open(now):
        raise ServiceError(
            _(
                "Submissions for the %(year)s meeting closed at %(deadline)s (%(zone)s). "
                "Nothing was saved."
            )
            % {
                "year": meeting.year,
                "deadline": meeting.deadline_local.strftime("%Y-%m-%d %H:%M"),
                "zone": meeting.deadline_time_zone,
            }
        )


def _content(intervention, fields, pdf):
    for name in CONTENT_FIELDS:
        setattr(intervention, name, fields[name])
    if intervention.ai_disclosure == Intervention.AiDisclosure.NONE:
        intervention.ai_tool = ""
    intervention.text_html = render_markdown(intervention.text_source)
    intervention.text_sha256 = text_sha256(intervention.text_source)
    if pdf is not None:
        digest = pdf_check(pdf)
        intervention.pdf.save(f"{digest[:16]}.pdf", pdf, save=False)
        intervention.pdf_sha256 = digest
        intervention.pdf_size = pdf.size


def _event(intervention, kind, actor, message=""):
    InterventionEvent.objects.create(
        intervention=intervention, kind=kind, actor=actor, message=message
    )


def _email(intervention, event, context=None):
    author = intervention.created_by
    profile = getattr(author, "profile", None)
    email_queue(
        to=[author.email],
        template="annual_forum/email/intervention_state",
        context={
            "intervention": intervention,
            "event": event,
            "event_label": InterventionEvent.Kind(event).label,
            **(context or {}),
        },
        idempotency_key=email_key(intervention, event, recipient=author),
        language=profile.language if profile else None,
    )


def intervention_create(
    *, by, meeting: AnnualMeeting, delegation, submit: bool = False, pdf=None, **fields
) -> Intervention:
    """A new intervention of the delegate's delegation: a draft, or submitted at once.

    Refused, with nothing stored, after the deadline, for an unverified delegate or for
    another delegation.
    """
    delegate = _verified_delegate(by, delegation)
    _deadline_check(meeting)
    with transaction.atomic():
        intervention = Intervention(meeting=meeting, delegation=delegate.delegation, created_by=by)
        _content(intervention, fields, pdf)
        if submit:
            intervention.status = Status.SUBMITTED
            intervention.submitted_at = timezone.now()
        intervention.save()
        _event(intervention, Event.CREATED, by)
        audit_record(actor=by, action="intervention.create", target=intervention)
        if submit:
            _event(intervention, Event.SUBMITTED, by)
            audit_record(actor=by, action="intervention.submit", target=intervention)
            _email(intervention, Event.SUBMITTED)
    return intervention


def _own(by, intervention, *, version, allowed):
    """Lock the delegation's own intervention; ServiceError for anyone else."""
    _verified_delegate(by, intervention.delegation)
    return locked(
        Intervention.objects.select_related("meeting", "delegation", "created_by"),
        intervention.pk,
        version=version,
        allowed=allowed,
    )


def intervention_edit(
    *, intervention: Intervention, by, version: int, pdf=None, remove_pdf=False, **fields
) -> Intervention:
    """Change a draft, or one returned for revision."""
    with transaction.atomic():
        intervention = _own(by, intervention, version=version, allowed=Intervention.EDITABLE)
        if intervention.status == Status.DRAFT:
            _deadline_check(intervention.meeting)
        if remove_pdf and pdf is None:
            intervention.pdf = ""
            intervention.pdf_sha256 = ""
            intervention.pdf_size = None
        _content(intervention, fields, pdf)
        intervention.bump_version()
        intervention.save()
        _event(intervention, Event.EDITED, by)
        audit_record(actor=by, action="intervention.edit", target=intervention)
    return intervention


def intervention_submit(*, intervention: Intervention, by, version: int) -> Intervention:
    """A draft goes to the secretariat before the deadline; a returned one may come back
    after it (the secretariat asked for the revision)."""
    with transaction.atomic():
        intervention = _own(by, intervention, version=version, allowed=Intervention.EDITABLE)
        if intervention.status == Status.DRAFT:
            _deadline_check(intervention.meeting)
        intervention.status = Status.SUBMITTED
        intervention.submitted_at = intervention.submitted_at or timezone.now()
        intervention.bump_version()
        intervention.save()
        _event(intervention, Event.SUBMITTED, by)
        audit_record(actor=by, action="intervention.submit", target=intervention)
        _email(intervention, Event.SUBMITTED)
    return intervention


def intervention_withdraw(*, intervention: Intervention, by, version: int) -> Intervention:
    with transaction.atomic():
        intervention = _own(by, intervention, version=version, allowed=Intervention.WITHDRAWABLE)
        intervention.status = Status.WITHDRAWN
        intervention.speaker_position = None
        intervention.bump_version()
        intervention.save()
        AnnualMeeting.objects.filter(current_speaker=intervention).update(current_speaker=None)
        _event(intervention, Event.WITHDRAWN, by)
        audit_record(actor=by, action="intervention.withdraw", target=intervention)
        public_changed()
        _email(intervention, Event.WITHDRAWN)
    return intervention


def _decide(intervention, *, by, version, allowed, status, event, action, message="", **extra):
    with transaction.atomic():
        intervention = locked(
            Intervention.objects.select_related("meeting", "delegation", "created_by"),
            intervention.pk,
            version=version,
            allowed=allowed,
        )
        intervention.status = status
        for name, value in extra.items():
            setattr(intervention, name, value)
        intervention.bump_version()
        intervention.save()
        if status not in Intervention.ON_SPEAKERS_LIST:
            # Off the speakers list: not the one speaking any more either.
            AnnualMeeting.objects.filter(current_speaker=intervention).update(current_speaker=None)
        _event(intervention, event, by, message)
        audit_record(actor=by, action=action, target=intervention, reason=message)
        public_changed()
        _email(intervention, event, {"message": message})
    return intervention


def intervention_accept(*, intervention: Intervention, by, version: int) -> Intervention:
    return _decide(
        intervention,
        by=by,
        version=version,
        allowed=(Status.SUBMITTED,),
        status=Status.ACCEPTED,
        event=Event.ACCEPTED,
        action="intervention.accept",
    )


def intervention_return(
    *, intervention: Intervention, by, version: int, message: str
) -> Intervention:
    if not message.strip():
        raise ServiceError(_("Say what needs revising."))
    return _decide(
        intervention,
        by=by,
        version=version,
        allowed=(Status.SUBMITTED, Status.ACCEPTED),
        status=Status.RETURNED,
        event=Event.RETURNED,
        action="intervention.return",
        message=message.strip(),
        speaker_position=None,
    )


def intervention_decline(
    *, intervention: Intervention, by, version: int, reason: str
) -> Intervention:
    if not reason.strip():
        raise ServiceError(_("A reason is required."))
    return _decide(
        intervention,
        by=by,
        version=version,
        allowed=(Status.SUBMITTED, Status.ACCEPTED),
        status=Status.DECLINED,
        event=Event.DECLINED,
        action="intervention.decline",
        message=reason.strip(),
        speaker_position=None,
    )


def intervention_publish(*, intervention: Intervention, by, version: int) -> Intervention:
    return _decide(
        intervention,
        by=by,
        version=version,
        allowed=(Status.ACCEPTED,),
        status=Status.PUBLISHED,
        event=Event.PUBLISHED,
        action="intervention.publish",
        published_at=timezone.now(),
    )


def interventions_export_record(*, by, filters) -> None:
    audit_record(
        actor=by,
        action="forum.interventions_export",
        data={key: str(value) for key, value in filters.items() if value},
    )
