"""The outcome summaries of the year's TEN meetings, read from the meetings app through
annual_forum.selectors.outcome_summaries."""

import importlib

import pytest

from annual_forum import selectors

pytestmark = pytest.mark.django_db


def test_without_the_meetings_function_there_are_none(monkeypatch):
    monkeypatch.setattr(selectors, "OUTCOMES_MODULE", "annual_forum.no_such_module")
    assert selectors.outcome_summaries(year=2026) == []
    monkeypatch.setattr(selectors, "OUTCOMES_MODULE", "annual_forum.selectors")
    assert selectors.outcome_summaries(year=2026) == []  # a module without the function


def test_the_meetings_app_function_is_used_when_present():
    found = importlib.util.find_spec("meetings.selectors")
    module = importlib.import_module("meetings.selectors") if found else None
    if module is None or not hasattr(module, "published_outcomes"):
        pytest.skip("meetings.selectors.published_outcomes is not there yet (meetings issue)")
    assert isinstance(selectors.outcome_summaries(year=2026), list)


def test_the_year_page_and_the_api_show_them(client, meeting, monkeypatch):
    monkeypatch.setattr(selectors, "OUTCOMES_MODULE", "tests.annual_forum.outcomes_standin")
    html = client.get(f"/forum/{meeting.year}/").content.decode()
    assert "TEN/3: Watermark robustness" in html
    assert "<p>Watermarks survive <strong>re-encoding</strong>.</p>" in html
    data = client.get(f"/forum/api/years/{meeting.year}/outcomes").json()
    assert data == [
        {
            "reference": "TEN/3",
            "title": "Watermark robustness",
            "start": f"{meeting.year}-05-04T09:00:00Z",
            "summary_html": "<p>Watermarks survive <strong>re-encoding</strong>.</p>",
            "published_at": f"{meeting.year}-06-01T00:00:00Z",
        }
    ]
