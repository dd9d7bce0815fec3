import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from aiii.models import AuditEntry
from members import demo
from members.models import MembershipApplication, Profile

pytestmark = pytest.mark.django_db


def _counts():
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def _user(email):
    return get_user_model().objects.get(email=email)


def test_seed_small_creates_the_contract_accounts():
    lines = []
    demo.seed(size="small", log=lines.append)

    for email in (
        "secretariat@example.org",
        "alice@example.org",
        "bob@example.org",
        "carol@example.org",
    ):
        user = _user(email)
        assert user.check_password("aiii-demo-2026"), email
        assert EmailAddress.objects.get(user=user).verified is True
    secretariat = _user("secretariat@example.org")
    assert list(secretariat.groups.values_list("name", flat=True)) == ["secretariat"]
    assert (secretariat.profile.status, secretariat.profile.organisation) == (
        Profile.Status.NONE,
        "AIII Secretariat",
    )
    for email in ("alice@example.org", "bob@example.org"):
        user = _user(email)
        assert list(user.groups.values_list("name", flat=True)) == ["member"]
        assert user.profile.status == Profile.Status.ACTIVE
    carol = _user("carol@example.org")
    assert carol.groups.count() == 0
    assert carol.profile.status == Profile.Status.APPLICANT
    assert carol.membership_application.status == MembershipApplication.Status.PENDING
    assert carol.membership_application.expertise.count() == 1

    active = Profile.objects.filter(status=Profile.Status.ACTIVE)
    assert active.count() >= 17
    assert active.values("stakeholder_group").distinct().count() == 7
    assert (
        MembershipApplication.objects.filter(status__in=MembershipApplication.OPEN_STATUSES).count()
        == 5
    )
    suspended = Profile.objects.get(status=Profile.Status.SUSPENDED)
    assert suspended.user.is_active is False
    assert AuditEntry.objects.get().action == "membership.suspend"
    assert any("members (alice, bob and others; one suspended)" in line for line in lines)


def test_seed_is_idempotent():
    demo.seed(size="small", log=lambda message: None)
    before = _counts()
    demo.seed(size="small", log=lambda message: None)
    assert _counts() == before


def test_seed_large_bulk_creates_members_and_fills_gaps(monkeypatch):
    monkeypatch.setattr(demo, "LARGE_MEMBERS", 23)
    monkeypatch.setattr(demo, "BATCH", 10)
    demo.seed(size="small", log=lambda message: None)
    small = Profile.objects.filter(status=Profile.Status.ACTIVE).count()
    with CaptureQueriesContext(connection) as small_again:
        demo.seed(size="small", log=lambda message: None)

    lines = []
    with CaptureQueriesContext(connection) as large_run:
        demo.seed(size="large", log=lines.append)

    # Bulk inserts: a handful of queries per batch of members, not per member.
    assert len(large_run) - len(small_again) <= 1 + 3 * 7

    large = get_user_model().objects.filter(email__endswith="@large.example.org")
    assert large.count() == 23
    assert Profile.objects.filter(status=Profile.Status.ACTIVE).count() == small + 23
    assert (
        EmailAddress.objects.filter(email__endswith="@large.example.org", verified=True).count()
        == 23
    )
    assert large.filter(groups__name="member").count() == 23
    member = large.get(email="member00007@large.example.org")
    assert member.check_password("aiii-demo-2026")
    assert 1 <= member.profile.expertise.count() <= 3
    assert "large set: 23 of 23 members added" in lines

    # A rerun adds nothing; a missing member is added again with the same details.
    details = (member.profile.full_name, member.profile.country)
    member.delete()
    demo.seed(size="large", log=lines.append)
    again = large.get(email="member00007@large.example.org")
    assert (again.profile.full_name, again.profile.country) == details
    assert large.count() == 23
    before = _counts()
    demo.seed(size="large", log=lines.append)
    assert _counts() == before
    assert lines[-1] == "23 large-set members already there"
