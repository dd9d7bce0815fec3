"""Pages for a signed-in user are never stored by browsers or proxies; public pages for
anonymous visitors keep their caching."""

import pytest
from django.utils.cache import get_max_age

pytestmark = pytest.mark.django_db


def _directives(response):
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/", 200),
        ("/members/", 200),
        ("/members/me/", 200),
        ("/accounts/email/", 200),
        ("/secretariat/", 403),
        ("/no-such-page/", 404),
    ],
)
def test_every_response_to_a_signed_in_user_is_no_store(member_client, url, status):
    response = member_client.get(url)
    assert response.status_code == status
    assert {"no-store", "no-cache", "private", "must-revalidate"} <= _directives(response)
    assert get_max_age(response) == 0


def test_the_secretariats_pages_are_no_store(secretariat_client):
    response = secretariat_client.get("/secretariat/audit/")
    assert response.status_code == 200
    assert "no-store" in _directives(response)


@pytest.mark.parametrize("url", ["/", "/about/", "/robots.txt"])
def test_public_pages_for_visitors_keep_their_caching(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert "no-store" not in _directives(response)
    assert "private" not in _directives(response)
