"""The meetings routes as a participant (the access table's member is one of `meeting_in`),
and the same routes for `meeting_out`, which they are not invited to: 200 against 404."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.access_table import REDIRECT, build_world, outcome

pytestmark = pytest.mark.django_db


def _routes(meeting):
    pk = meeting["meeting"].pk
    return {
        "workspace": (reverse("meetings:workspace", kwargs={"pk": pk}), 200),
        "download": (
            reverse(
                "meetings:document_download",
                kwargs={"pk": pk, "version_pk": meeting["version"].pk},
            ),
            200,
        ),
        "minutes": (reverse("meetings:minutes", kwargs={"pk": pk}), 200),
        "calendar": (reverse("meetings:calendar_file", kwargs={"pk": pk}), 200),
        "respond": (reverse("meetings:respond", kwargs={"pk": pk}), REDIRECT),
        "comment": (reverse("meetings:comment", kwargs={"pk": pk}), REDIRECT),
    }


def test_a_participant_opens_their_meeting_and_nothing_of_another(secretariat):
    world = build_world(secretariat)
    client = Client()
    client.force_login(world["users"]["member"])

    mine = {
        name: outcome(client.get(url)) for name, (url, _ok) in _routes(world["meeting_in"]).items()
    }
    theirs = {
        name: outcome(client.get(url)) for name, (url, _ok) in _routes(world["meeting_out"]).items()
    }

    assert mine == {name: ok for name, (_url, ok) in _routes(world["meeting_in"]).items()}
    assert theirs == dict.fromkeys(mine, 404)
    # Uploads are not allowed in this meeting: a participant's upload is not found either.
    upload = reverse("meetings:upload", kwargs={"pk": world["meeting_in"]["meeting"].pk})
    assert client.post(upload, {"title": "x"}).status_code == 404


def test_the_workspace_of_another_meeting_leaks_nothing(secretariat):
    world = build_world(secretariat)
    client = Client()
    client.force_login(world["users"]["member"])
    meeting = world["meeting_out"]["meeting"]

    response = client.get(reverse("meetings:workspace", kwargs={"pk": meeting.pk}))

    assert response.status_code == 404
    body = response.content.decode()
    for secret in (meeting.title, meeting.join_link, meeting.venue, "Annotated agenda"):
        assert secret not in body
