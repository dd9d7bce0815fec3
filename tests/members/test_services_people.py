import pytest
from django.template.loader import render_to_string

from members.models import Profile, StakeholderGroup
from members.selectors.people import network_composition
from tests.factories import ApplicationFactory, MemberProfileFactory

pytestmark = pytest.mark.django_db


def _by_key(rows):
    return {row["key"]: row for row in rows}


def test_network_composition_counts_active_members_by_group_and_region(
    django_assert_num_queries,
):
    MemberProfileFactory(stakeholder_group=StakeholderGroup.ACADEMIA, country="CH")
    MemberProfileFactory(stakeholder_group=StakeholderGroup.ACADEMIA, country="KE")
    MemberProfileFactory(stakeholder_group=StakeholderGroup.RIGHTSHOLDER, country="JP")
    MemberProfileFactory(
        stakeholder_group=StakeholderGroup.RIGHTSHOLDER,
        country="FR",
        status=Profile.Status.SUSPENDED,
    )
    ApplicationFactory(country="BR")  # an applicant is not a member

    with django_assert_num_queries(2):
        composition = network_composition()

    assert composition["total"] == 3
    groups = _by_key(composition["groups"])
    assert groups["academia"]["count"] == 2
    assert groups["academia"]["percent"] == 67
    assert groups["academia"]["width"] == 240
    assert groups["rightsholder"]["count"] == 1
    assert groups["rightsholder"]["width"] == 120
    assert groups["tech_company"]["count"] == 0
    assert len(composition["groups"]) == len(StakeholderGroup.choices)
    regions = _by_key(composition["regions"])
    assert (regions["europe"]["count"], regions["africa"]["count"], regions["asia"]["count"]) == (
        1,
        1,
        1,
    )
    assert regions["americas"]["count"] == 0


def test_network_composition_query_count_does_not_grow():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    MemberProfileFactory()
    with CaptureQueriesContext(connection) as one:
        network_composition()
    MemberProfileFactory.create_batch(20, country="JP")
    with CaptureQueriesContext(connection) as many:
        network_composition()
    assert len(one) == len(many) == 2


def test_composition_include_draws_svg_and_table():
    MemberProfileFactory(stakeholder_group=StakeholderGroup.ACADEMIA, country="CH")
    html = render_to_string(
        "members/includes/composition.html", {"composition": network_composition()}
    )
    assert 'role="img"' in html
    assert 'aria-labelledby="composition-groups-title composition-groups-desc"' in html
    assert '<rect class="bar" x="160" y="100" height="16" width="240"></rect>' in html
    assert "<caption>Active members by region</caption>" in html
    assert '<tr><th scope="row">Europe</th><td>1</td><td>100%</td></tr>' in html
    assert "style=" not in html
