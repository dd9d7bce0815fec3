import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from annual_forum import demo
from annual_forum.models import AnnualMeeting, Delegate, Intervention

pytestmark = pytest.mark.django_db


def _seed(size="small"):
    from members import demo as members_demo

    lines = []
    members_demo.seed(size="small", log=lines.append)
    demo.seed(size=size, log=lines.append)
    return lines


def test_the_stable_contract():
    _seed()
    year = timezone.localdate().year
    meeting = AnnualMeeting.objects.get(year=year)
    assert meeting.submissions_open()
    user = get_user_model().objects.get(email="delegate@example.org")
    assert user.check_password("aiii-demo-2026")
    assert user.groups.filter(name="delegate").exists()
    delegate = Delegate.objects.get(user=user)
    assert (delegate.status, delegate.delegation.code) == ("verified", "CH")
    own = Intervention.objects.filter(meeting=meeting, delegation=delegate.delegation)
    assert sorted(own.values_list("status", flat=True)) == ["published", "submitted"]
    pending = Delegate.objects.get(user__email="pending-delegate@example.org")
    assert pending.status == "pending"
    assert pending.user.check_password("aiii-demo-2026")
    assert AnnualMeeting.objects.filter(year=year - 1).exists()


def test_seeding_twice_changes_nothing():
    _seed()
    counts = (Intervention.objects.count(), Delegate.objects.count())
    _seed()
    assert (Intervention.objects.count(), Delegate.objects.count()) == counts


def test_large_adds_200_interventions_and_archived_years():
    _seed(size="large")
    year = timezone.localdate().year
    assert (
        Intervention.objects.filter(meeting__year=year, title__startswith=demo.LARGE_TITLE).count()
        == 200
    )
    assert AnnualMeeting.objects.count() == 2 + demo.LARGE_PAST_YEARS
    _seed(size="large")
    assert Intervention.objects.filter(title__startswith=demo.LARGE_TITLE).count() == 200 + 180
