"""What the kinds of delegate the common access table does not have see: an unverified
delegate, and a verified delegate of another delegation. Unpublished interventions are 404 for
everyone but their delegation and the secretariat."""

import pytest
from django.urls import reverse

from annual_forum.models import Intervention
from tests.annual_forum.factories import (
    InterventionFactory,
    PendingDelegateFactory,
    member_state,
)
from tests.members.factories import MemberProfileFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def unpublished(meeting, delegate):
    return InterventionFactory(
        meeting=meeting, delegation=member_state("CH"), created_by=delegate.user
    )


def _public_urls(item):
    year = item.meeting.year
    return [
        reverse("forum:intervention", kwargs={"year": year, "pk": item.pk}),
        reverse("forum:intervention_pdf", kwargs={"year": year, "pk": item.pk}),
    ]


def _status(client, user, url):
    client.logout()
    if user is not None:
        client.force_login(user)
    return client.get(url).status_code


@pytest.mark.parametrize("state", [s for s in Intervention.Status if s != "published"])
def test_unpublished_interventions_are_404_for_everyone_but_their_delegation(
    client, state, meeting, delegate, other_delegate, secretariat
):
    item = InterventionFactory(
        meeting=meeting, delegation=member_state("CH"), created_by=delegate.user, status=state
    )
    page = _public_urls(item)[0]
    outsiders = {
        "anonymous": None,
        "member": MemberProfileFactory().user,
        "unverified delegate": PendingDelegateFactory().user,
        "other delegation": other_delegate.user,
    }
    for who, user in outsiders.items():
        client.logout()
        if user is not None:
            client.force_login(user)
        response = client.get(page)
        assert response.status_code == 404, who
        assert item.title not in response.content.decode(), who
    assert _status(client, delegate.user, page) == 200
    assert _status(client, secretariat, page) == 200
    # and never on the public year page or in the feed
    client.logout()
    assert item.title not in client.get(reverse("forum:year", args=[meeting.year])).content.decode()
    assert item.title not in client.get(reverse("forum:feed")).content.decode()


def test_a_delegate_manages_only_their_own_delegation(client, unpublished, other_delegate):
    manage = reverse("forum:intervention_manage", kwargs={"pk": unpublished.pk})
    assert _status(client, other_delegate.user, manage) == 404
    client.force_login(other_delegate.user)
    response = client.post(
        reverse("forum:intervention_withdraw", kwargs={"pk": unpublished.pk}),
        {"version": unpublished.version},
    )
    assert response.status_code == 404
    unpublished.refresh_from_db()
    assert unpublished.status == Intervention.Status.SUBMITTED
    listing = client.get(reverse("forum:delegation")).content.decode()
    assert unpublished.title not in listing


def test_an_unverified_delegate_sees_their_state_but_cannot_submit(client, meeting):
    pending = PendingDelegateFactory()
    client.force_login(pending.user)
    home = client.get(reverse("forum:delegation"))
    assert home.status_code == 200
    assert "has not verified your registration yet" in home.content.decode()
    page = client.get(reverse("forum:intervention_new"))
    assert page.status_code == 200
    assert "Only verified delegates can submit" in page.content.decode()
    assert "<textarea" not in page.content.decode()


def test_an_unverified_delegate_is_led_to_their_delegation_not_to_an_application(client):
    user = PendingDelegateFactory().user
    client.force_login(user)
    html = client.get("/").content.decode()
    # The navigation names where they may go: their registration, never "My application" (404).
    assert f'href="{reverse("forum:delegation")}"' in html
    assert "My delegation" in html
    assert "My application" not in html
    from members.adapters import login_redirect_url

    assert login_redirect_url(user) == reverse("forum:delegation")


def test_an_applicant_still_sees_their_application(client):
    from tests.members.factories import ApplicationFactory

    applicant = ApplicationFactory().user
    client.force_login(applicant)
    html = client.get("/").content.decode()
    assert f'href="{reverse("members:application_status")}"' in html
    assert "My delegation" not in html
