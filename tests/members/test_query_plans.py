"""The lists that grow with the network can read one page in index order.

Without an index that starts with the page order, PostgreSQL sorts every member to show 25
(18 ms with 5,000 members for the secretariat's members list, against 0.5 ms with the index).
Plans depend on table sizes, so this checks the schema rather than a plan.
"""

import pytest

from members.models import Profile
from members.selectors.people import secretariat_members

pytestmark = pytest.mark.django_db


def _order(queryset):
    return ["id" if field == "pk" else field for field in queryset.query.order_by]


def _has_index_for(order):
    return any(list(index.fields[: len(order)]) == order for index in Profile._meta.indexes)


def test_the_members_list_order_has_an_index():
    order = _order(secretariat_members())
    assert order == ["full_name", "id"]
    assert _has_index_for(order)
