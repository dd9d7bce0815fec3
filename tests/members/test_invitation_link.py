"""The invitation as the expert meets it: the link in the email that was sent opens the form."""

import re
from urllib.parse import urlparse

import pytest
from django.test import Client
from django.urls import reverse

from aiii.models import OutboxEmail


@pytest.mark.django_db
def test_the_link_in_the_sent_invitation_opens_the_prefilled_application(
    secretariat_client, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        response = secretariat_client.post(
            reverse("secretariat:invite"),
            {"full_name": "Wen Li", "email": "wen.li@example.cn", "note": "Please join us."},
        )
    assert response.status_code == 302

    (row,) = OutboxEmail.objects.filter(to=["wen.li@example.cn"])
    assert row.status == OutboxEmail.Status.SENT
    (sent,) = mailoutbox
    link = re.search(r"http://testserver/apply/invitation/[\w-]+/", sent.body).group(0)
    assert link in sent.alternatives[0].content  # the HTML part has it too
    # Once sent, the outbox row keeps no copy of the token (see tests/aiii/test_outbox_retention).
    assert link not in row.body_text + row.body_html

    page = Client().get(urlparse(link).path)  # the expert: a visitor, not signed in
    assert page.status_code == 200
    html = page.content.decode()
    assert 'value="Wen Li"' in html
    assert "wen.li@example.cn" in html
    assert "Please join us." in html  # the secretariat's note, for the holder of the link


@pytest.mark.django_db
def test_the_invitation_page_is_never_cached(client, secretariat):
    from members.services.invitations import invitation_create

    _invitation, token = invitation_create(
        by=secretariat, full_name="Nora Nominee", email="nora@example.org"
    )
    response = client.get(f"/apply/invitation/{token}/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_an_invitation_is_written_in_the_language_the_secretariat_chooses(
    secretariat_client, django_capture_on_commit_callbacks, mailoutbox
):
    page = secretariat_client.get(reverse("secretariat:invite")).content.decode()
    assert re.search(r'<option value="en" selected>', page)  # the secretariat's own, at first
    with django_capture_on_commit_callbacks(execute=True):
        secretariat_client.post(
            reverse("secretariat:invite"),
            {"full_name": "Élise Nommée", "email": "elise@example.fr", "language": "fr"},
        )
    (sent,) = mailoutbox
    assert sent.extra_headers["Content-Language"] == "fr"
    assert "Élise Nommée" in sent.body
    assert sent.subject.endswith("Invitation à rejoindre le Réseau d'échange technique de l'AIII")
    link = re.search(r"http://testserver(/apply/invitation/[\w-]+/)", sent.body).group(1)
    english = Client().get("/about/").content.decode()
    assert english.startswith("<!DOCTYPE html>") and 'lang="en"' in english
    # The link opens the form in French, until the visitor chooses another language.
    visitor = Client()
    assert '<html lang="fr"' in visitor.get(link).content.decode()
    visitor.cookies["django_language"] = "es"
    assert '<html lang="es"' in visitor.get(link).content.decode()
