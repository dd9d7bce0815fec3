"""Public pages are kept rendered for visitors without cookies, and renewed as soon as a forum
service changes what the public sees."""

import pytest
from django.urls import reverse

from annual_forum.services.interventions import intervention_accept, intervention_publish
from tests.annual_forum.factories import InterventionFactory

pytestmark = pytest.mark.django_db


def test_a_visitor_gets_the_kept_page_until_something_is_published(
    client, meeting, secretariat, django_assert_num_queries, django_capture_on_commit_callbacks
):
    url = reverse("forum:year", args=[meeting.year])
    item = InterventionFactory(meeting=meeting, title="Soon public")
    first = client.get(url)
    assert "Soon public" not in first.content.decode()
    with django_assert_num_queries(0):
        again = client.get(url)
    assert again.content == first.content

    with django_capture_on_commit_callbacks(execute=True):
        item = intervention_accept(intervention=item, by=secretariat, version=item.version)
    with django_capture_on_commit_callbacks(execute=True):
        intervention_publish(intervention=item, by=secretariat, version=item.version)
    assert "Soon public" in client.get(url).content.decode()


def test_nobody_with_a_cookie_or_signed_in_is_served_from_it(client, meeting, delegate):
    url = reverse("forum:year", args=[meeting.year])
    client.get(url)  # kept for visitors without cookies
    client.force_login(delegate.user)
    html = client.get(url).content.decode()
    assert f"Signed in as {delegate.user.email}" in html


def test_an_unpublished_intervention_is_never_kept(client, meeting, delegate):
    item = InterventionFactory(meeting=meeting, created_by=delegate.user)
    client.force_login(delegate.user)
    assert client.get(item.get_absolute_url()).status_code == 200
    client.logout()
    client.cookies.clear()
    assert client.get(item.get_absolute_url()).status_code == 404
