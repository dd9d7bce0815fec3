"""The public JSON API: published data only, paginated, cacheable, rate-limited, described by
its OpenAPI document."""

import pytest

from annual_forum.models import Intervention
from annual_forum.services.meetings import speakers_list_publish
from tests.annual_forum.factories import InterventionFactory, MeetingFactory, member_state

pytestmark = pytest.mark.django_db
API = "/forum/api"


@pytest.fixture
def world(meeting):
    published = InterventionFactory(meeting=meeting, published=True, title="Public words")
    hidden = {
        state: InterventionFactory(
            meeting=meeting, status=state, title=f"Hidden {state}", delegation=member_state("FR")
        )
        for state in Intervention.Status
        if state != Intervention.Status.PUBLISHED
    }
    return published, hidden


def test_the_api_never_shows_anything_unpublished(client, meeting, world, secretariat):
    published, hidden = world
    # not even to the secretariat or the delegation: the API is the public record
    client.force_login(secretariat)
    listing = client.get(f"{API}/years/{meeting.year}/interventions").json()
    assert listing["count"] == 1
    assert [item["title"] for item in listing["items"]] == ["Public words"]
    assert listing["items"][0]["text_sha256"] == published.text_sha256
    assert listing["items"][0]["delegation"] == {
        "name": "Switzerland",
        "kind": "member_state",
        "code": "CH",
    }
    for item in hidden.values():
        assert client.get(f"{API}/interventions/{item.pk}").status_code == 404
    assert client.get(f"{API}/interventions/{published.pk}").json()["title"] == "Public words"
    assert client.get(f"{API}/years/{meeting.year}/speakers").status_code == 404


def test_the_speakers_list_once_published(client, meeting, world, secretariat):
    accepted = InterventionFactory(meeting=meeting, status="accepted", title="Not public yet")
    speakers_list_publish(meeting=meeting, by=secretariat, version=meeting.version)
    data = client.get(f"{API}/years/{meeting.year}/speakers").json()
    # Member States by submission: the published one, France's accepted one, then this one
    assert [s["delegation"]["name"] for s in data["speakers"]] == [
        "Switzerland",
        "France",
        "Switzerland",
    ]
    assert "Not public yet" not in str(data)
    assert "Hidden accepted" not in str(data)
    assert data["speakers"][0]["intervention_url"] == world[0].get_absolute_url()
    assert data["speakers"][2]["intervention_url"] is None
    assert accepted.speaker_name in str(data)


def test_years_and_outcomes(client, meeting):
    MeetingFactory(year=meeting.year - 1)
    years = client.get(f"{API}/years").json()
    assert [y["year"] for y in years] == [meeting.year, meeting.year - 1]
    assert years[0]["url"] == f"/forum/{meeting.year}/"
    assert client.get(f"{API}/years/{meeting.year}/outcomes").json() == []
    assert client.get(f"{API}/years/1999/outcomes").status_code == 404


def test_pagination(client, meeting):
    for code in ("FR", "DE", "JP"):
        InterventionFactory(meeting=meeting, delegation=member_state(code), published=True)
    page = client.get(f"{API}/years/{meeting.year}/interventions?page=2&page_size=2").json()
    assert page["count"] == 3
    assert len(page["items"]) == 1


def test_etag_and_last_modified(
    client, meeting, world, secretariat, django_capture_on_commit_callbacks
):
    from annual_forum.services.interventions import intervention_publish

    url = f"{API}/years/{meeting.year}/interventions"
    first = client.get(url)
    assert first["ETag"] and first["Last-Modified"]
    again = client.get(url, headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304
    accepted = world[1]["accepted"]
    with django_capture_on_commit_callbacks(execute=True):
        intervention_publish(intervention=accepted, by=secretariat, version=accepted.version)
    changed = client.get(url, headers={"If-None-Match": first["ETag"]})
    assert changed.status_code == 200
    assert changed.json()["count"] == 2


def test_rate_limited_per_address(client, meeting, settings):
    settings.AIII_RATE_LIMITS = {**settings.AIII_RATE_LIMITS, "forum_api": "3/m"}
    codes = [client.get(f"{API}/years").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]


def test_the_openapi_document(client):
    document = client.get(f"{API}/openapi.json").json()
    assert document["info"]["title"] == "AIII annual public meeting"
    assert set(document["paths"]) == {
        f"{API}/years",
        f"{API}/years/{{year}}/interventions",
        f"{API}/interventions/{{intervention_id}}",
        f"{API}/years/{{year}}/speakers",
        f"{API}/years/{{year}}/outcomes",
    }
    assert all(list(operations) == ["get"] for operations in document["paths"].values())
