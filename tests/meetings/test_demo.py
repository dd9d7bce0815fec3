import pytest
from django.contrib.auth import get_user_model

from meetings import demo as meetings_demo
from meetings.models import Meeting
from members import demo as members_demo

pytestmark = pytest.mark.django_db


def test_demo_contract_and_idempotence():
    log = []
    members_demo.seed(size="small", log=log.append)
    meetings_demo.seed(size="small", log=log.append)
    meetings_demo.seed(size="small", log=log.append)

    users = get_user_model().objects
    alice, bob = users.get(email="alice@example.org"), users.get(email="bob@example.org")
    ten1 = Meeting.objects.get(reference="TEN/1")
    assert list(Meeting.objects.visible_to(alice).filter(reference="TEN/1")) == [ten1]
    assert not Meeting.objects.visible_to(bob).filter(reference="TEN/1").exists()
    assert ten1.agenda_items.count() == 4
    assert ten1.documents.get().latest.filename == "annotated-agenda.pdf"
    assert ten1.minutes.status == "approved"
    assert "Alice" not in ten1.minutes.public_html
    assert Meeting.objects.filter(reference__in=["TEN/1", "TEN/2"]).count() == 2
    assert "meeting TEN/1 already there" in log
