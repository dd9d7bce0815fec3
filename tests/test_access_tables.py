"""Every route of every app against every kind of visitor (DESIGN.md "People and roles").

The tables live beside each app's tests (`tests/<app>/access_table.py`); see
tests/access_table.py for how to add one.
"""

import pytest
from django.urls import reverse

from tests.access_table import (
    ROLES,
    client_for,
    combined_table,
    outcome,
    portal_route_names,
)

pytestmark = pytest.mark.django_db

TABLE = combined_table()


def test_every_route_has_an_expectation():
    missing = portal_route_names() - set(TABLE)
    assert not missing, f"Add these routes to an access table: {sorted(missing)}"


def test_every_expectation_names_a_route():
    unknown = set(TABLE) - portal_route_names()
    assert not unknown, f"Access table rows for routes that do not exist: {sorted(unknown)}"


@pytest.mark.parametrize("url_name", sorted(TABLE))
def test_access(url_name, world):
    build_kwargs, expected = TABLE[url_name]
    url = reverse(url_name, kwargs=build_kwargs(world) if build_kwargs else None)
    actual = {role: outcome(client_for(world, role).get(url)) for role in ROLES}
    assert actual == expected, url
