from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone

from aiii.schedules import BEAT_SCHEDULE
from members.models import UserSession
from members.tasks import forget_ended_sessions


@pytest.mark.django_db
def test_forgetting_ended_sessions_keeps_the_live_ones(member_client, member):
    member_client.get("/members/")
    live = UserSession.objects.get(user=member)
    gone = UserSession.objects.create(user=member, session_key="signed-out-long-ago")
    expired_key = "expired-session-key"
    Session.objects.create(
        session_key=expired_key, session_data="", expire_date=timezone.now() - timedelta(hours=1)
    )
    UserSession.objects.create(user=member, session_key=expired_key)

    assert forget_ended_sessions() == 2

    assert list(UserSession.objects.values_list("pk", flat=True)) == [live.pk]
    assert not UserSession.objects.filter(pk=gone.pk).exists()
    assert {entry["task"] for entry in BEAT_SCHEDULE.values()} >= {"members.forget_ended_sessions"}
