"""A stand-in for `meetings.selectors.published_outcomes` until the meetings app provides it
(the lead replaces test_outcomes.py's use of it with real meetings once both are merged)."""

from datetime import UTC, datetime
from types import SimpleNamespace


def published_outcomes(*, year):
    meeting = SimpleNamespace(
        reference="TEN/3", title="Watermark robustness", start=datetime(year, 5, 4, 9, tzinfo=UTC)
    )
    return [
        SimpleNamespace(
            meeting=meeting,
            summary_html="<p>Watermarks survive <strong>re-encoding</strong>.</p>",
            published_at=datetime(year, 6, 1, tzinfo=UTC),
        )
    ]
