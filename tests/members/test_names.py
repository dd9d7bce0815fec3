"""Names carry no invisible or direction-control characters (issue 11, security 10)."""

import importlib
import unicodedata

import pytest
from django.apps import apps as django_apps
from django.contrib.auth import get_user_model

from aiii.models import AuditEntry, OutboxEmail
from members.forms.people import ProfileCorrectForm
from members.models import Invitation, MembershipApplication, Profile
from members.selectors.people import export_rows
from members.services.applications import application_approve, application_verify
from tests.members.factories import ApplicationFactory, MemberProfileFactory
from tests.members.test_views_apply import form_data

pytestmark = pytest.mark.django_db

DIRECTION = (
    "This contains text-direction control characters (such as U+202E), which change how the "
    "text around them is shown. Type it again instead of pasting it."
)


def hidden(text):
    return [hex(ord(char)) for char in str(text) if unicodedata.category(char) in ("Cc", "Cf")]


def test_apply_refuses_a_name_with_a_direction_override(client):
    users = get_user_model().objects.count()

    response = client.post(
        "/apply/", form_data(full_name="\u202eevil", organisation="\u2067Org\u2069")
    )

    assert response.status_code == 400
    assert response.context["form"].errors == {
        "full_name": [DIRECTION],
        "organisation": [DIRECTION],
    }
    assert DIRECTION in response.content.decode()
    assert get_user_model().objects.count() == users
    assert not OutboxEmail.objects.exists()


def test_invisible_characters_never_reach_the_audit_log_or_the_export(client, secretariat):
    client.post(
        "/apply/",
        form_data(
            full_name="Gr\u200bace\u2060 Hopper\u200f",
            organisation="Compilers\u00ad\ufeff Inc",
        ),
    )
    application = MembershipApplication.objects.get()
    assert (application.full_name, application.organisation) == ("Grace Hopper", "Compilers Inc")
    assert application.user.profile.full_name == "Grace Hopper"
    assert (application.user.first_name, application.user.last_name) == ("Grace", "Hopper")

    application_verify(user=application.user)
    application_approve(application=application, by=secretariat, version=2)

    entries = AuditEntry.objects.filter(target_id=str(application.pk))
    assert {entry.target_label for entry in entries} == {"Grace Hopper (Compilers Inc)"}
    rows = list(export_rows())
    (row,) = [row for row in rows[1:] if "Grace Hopper" in row]
    assert row[:4] == ["Grace Hopper", "grace@example.org", "Compilers Inc", "Tech company"]
    assert [hidden(cell) for row in rows for cell in row if hidden(cell)] == []


def test_invitation_refuses_a_direction_override_in_the_name(secretariat_client):
    response = secretariat_client.post(
        "/secretariat/invitations/new/",
        {"full_name": "Nora \u202eNominee", "email": "nora@example.org", "note": ""},
    )

    assert response.context["form"].errors == {"full_name": [DIRECTION]}
    assert not Invitation.objects.exists()


def test_the_secretariats_correction_cleans_and_refuses_like_the_application():
    profile = MemberProfileFactory(full_name="Ada Lovelace", organisation="Engines")
    data = {
        "correct-version": profile.version,
        "correct-reason": "Typo.",
        "correct-stakeholder_group": profile.stakeholder_group,
        "correct-country": profile.country,
    }

    refused = ProfileCorrectForm(
        {**data, "correct-full_name": "Ada\u202e", "correct-organisation": "Engines"},
        profile=profile,
    )
    assert refused.errors == {"full_name": [DIRECTION]}

    cleaned = ProfileCorrectForm(
        {
            **data,
            "correct-full_name": "Ada\u200b Lovelace",
            "correct-organisation": "Analytical\u200b Engines",
        },
        profile=profile,
    )
    assert cleaned.is_valid(), cleaned.errors
    assert cleaned.changes()["full_name"] == "Ada Lovelace"
    assert cleaned.changes()["organisation"] == "Analytical Engines"


def test_the_migration_cleans_names_stored_before():
    migration = importlib.import_module("members.migrations.0007_clean_stored_names")
    application = ApplicationFactory(
        full_name="\u202eEve\u200b", organisation="In\u00adc", user__first_name="\u202eEve"
    )
    profile = application.user.profile
    Profile.objects.filter(pk=profile.pk).update(full_name="Mallory\u2066 X", organisation="Org")
    untouched = MemberProfileFactory(full_name="Ada Lovelace")

    migration.clean_stored_names(django_apps, None)

    application.refresh_from_db()
    profile.refresh_from_db()
    assert (application.full_name, application.organisation) == ("Eve", "Inc")
    assert application.user.first_name == "Eve"
    assert (profile.full_name, profile.organisation) == ("Mallory X", "Org")
    assert untouched.updated_at == Profile.objects.get(pk=untouched.pk).updated_at
