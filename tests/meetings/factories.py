from datetime import timedelta

import factory
from django.utils import timezone

from meetings.models import Meeting


class MeetingFactory(factory.django.DjangoModelFactory):
    """A TEN meeting in a month, in draft (nobody invited)."""

    class Meta:
        model = Meeting

    reference = factory.Sequence(lambda n: f"TEN/{n + 100}")
    title = factory.Sequence(lambda n: f"Working meeting {n}")
    body = "TEN"
    description = "Watermarking **robustness**."
    description_html = "<p>Watermarking <strong>robustness</strong>.</p>"
    start = factory.LazyFunction(lambda: timezone.now() + timedelta(days=30))
    end = factory.LazyAttribute(lambda o: o.start + timedelta(hours=2))
    venue = "Geneva, room B"
    join_link = "https://meet.example.org/ten-secret-room"
