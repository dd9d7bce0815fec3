"""Factories for the annual forum: plain rows, as the services would leave them."""

import importlib
from datetime import date, timedelta

import factory
from django.utils import timezone

from aiii.markdown import render_markdown
from annual_forum.files import text_sha256
from annual_forum.models import AnnualMeeting, Delegate, Delegation, Intervention
from tests.members.factories import ProfileFactory, UserFactory


def ensure_member_states():
    """The Member States, from their data migration: a transactional test's flush (the browser
    tests) removes migration data for the tests that run after it."""
    from django.apps import apps

    migration = importlib.import_module("annual_forum.migrations.0002_member_states")
    migration.seed(apps, None)


def member_state(code):
    """One of the seeded Member States."""
    ensure_member_states()
    return Delegation.objects.get(kind=Delegation.Kind.MEMBER_STATE, code=code)


class MeetingFactory(factory.django.DjangoModelFactory):
    """This year's meeting, open for interventions for another two weeks."""

    class Meta:
        model = AnnualMeeting
        django_get_or_create = ("year",)

    year = factory.LazyFunction(lambda: timezone.localdate().year)
    date = factory.LazyAttribute(lambda o: date(o.year, 12, 31))
    venue = "Geneva, Conference Hall A"
    hybrid_access = "Streamed live; delegates join online by the link they are sent."
    programme_source = "1. Opening\n2. Results of the TEN\n3. Interventions"
    programme_html = factory.LazyAttribute(lambda o: render_markdown(o.programme_source))
    submission_deadline = factory.LazyFunction(lambda: timezone.now() + timedelta(days=14))
    deadline_time_zone = "Europe/Zurich"


class ObserverFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Delegation

    kind = Delegation.Kind.NON_GOVERNMENTAL
    name = factory.Sequence(lambda n: f"Observer Organisation {n}")


class DelegateFactory(factory.django.DjangoModelFactory):
    """A verified delegate of Switzerland unless told otherwise."""

    class Meta:
        model = Delegate

    user = factory.LazyFunction(lambda: ProfileFactory(user=UserFactory(groups=["delegate"])).user)
    delegation = factory.LazyFunction(lambda: member_state("CH"))
    full_name = factory.Sequence(lambda n: f"Delegate Number {n}")
    official_title = "Counsellor"
    official_email = factory.Sequence(lambda n: f"delegate{n}@mission.example.org")
    status = Delegate.Status.VERIFIED


class PendingDelegateFactory(DelegateFactory):
    user = factory.LazyFunction(lambda: ProfileFactory().user)
    status = Delegate.Status.PENDING


class InterventionFactory(factory.django.DjangoModelFactory):
    """A submitted intervention, spoken in the room."""

    class Meta:
        model = Intervention

    meeting = factory.SubFactory(MeetingFactory)
    delegation = factory.LazyFunction(lambda: member_state("CH"))
    created_by = factory.LazyFunction(lambda: UserFactory())
    speaker_name = factory.Sequence(lambda n: f"Speaker {n}")
    speaker_title = "Ambassador"
    title = factory.Sequence(lambda n: f"Intervention number {n}")
    language = "en"
    text_source = factory.Sequence(lambda n: f"We thank the network. **Point {n}**.")
    text_html = factory.LazyAttribute(lambda o: render_markdown(o.text_source))
    text_sha256 = factory.LazyAttribute(lambda o: text_sha256(o.text_source))
    mode = Intervention.Mode.ROOM
    speaking_minutes = 3
    ai_disclosure = Intervention.AiDisclosure.NONE
    status = Intervention.Status.SUBMITTED
    submitted_at = factory.LazyFunction(timezone.now)

    class Params:
        published = factory.Trait(
            status=Intervention.Status.PUBLISHED,
            published_at=factory.LazyFunction(timezone.now),
        )
