"""Every text people write has a maximum, in the form and in the database (issue 11, security 8)."""

import pytest
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction

from aiii.models import OutboxEmail
from members.forms.applications import InvitationForm, RejectForm
from members.forms.people import MembershipActionForm
from members.models import ApplicationEvent, Invitation, MembershipApplication, Profile
from tests.members.factories import ApplicationFactory, MemberProfileFactory
from tests.members.test_views_apply import form_data

pytestmark = pytest.mark.django_db


def test_a_too_long_statement_is_refused_beside_the_field_and_nothing_is_stored(client):
    users = get_user_model().objects.count()

    response = client.post("/apply/", form_data(statement="x" * 5001))

    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors == {
        "statement": ["Ensure this value has at most 5000 characters (it has 5001)."]
    }
    assert "Ensure this value has at most 5000 characters (it has 5001)." in (
        response.content.decode()
    )
    assert get_user_model().objects.count() == users
    assert not MembershipApplication.objects.exists()
    assert not OutboxEmail.objects.exists()


def test_a_too_long_declaration_is_refused(client):
    response = client.post("/apply/", form_data(declaration_of_interests="x" * 5001))

    assert response.context["form"].errors == {
        "declaration_of_interests": ["Ensure this value has at most 5000 characters (it has 5001)."]
    }
    assert not MembershipApplication.objects.exists()


def test_the_page_tells_the_browser_the_limits(client):
    html = client.get("/apply/").content.decode()

    assert html.count('maxlength="5000"') == 2  # statement and declaration


def test_line_breaks_count_once_as_in_the_browser(client):
    # The browser counts a line break once in `maxlength` but sends it as CRLF.
    statement = ("x" * 99 + "\r\n") * 49 + "x" * 100  # 5,049 sent, 5,000 as the browser counts

    client.post("/apply/", form_data(statement=statement))

    assert MembershipApplication.objects.get().statement == ("x" * 99 + "\n") * 49 + "x" * 100


@pytest.mark.parametrize(
    ("form_class", "data", "field"),
    [
        (RejectForm, {"version": 1, "confirm": "on"}, "reason"),
        (InvitationForm, {"full_name": "Nora", "email": "nora@example.org"}, "note"),
        (lambda data: MembershipActionForm(data, prefix_action=""), {"version": 1}, "reason"),
    ],
)
def test_reasons_messages_and_notes_stop_at_2000(form_class, data, field):
    assert form_class({**data, field: "x" * 2000}).is_valid()

    form = form_class({**data, field: "x" * 2001})

    assert not form.is_valid()
    assert form.errors[field] == ["Ensure this value has at most 2000 characters (it has 2001)."]


def test_a_too_long_introduction_is_refused_on_the_profile_page(client):
    member = MemberProfileFactory(bio="Short.").user
    client.force_login(member)
    page = client.get("/members/me/")
    form = page.context["form"]
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data["expertise"] = []
    data["bio"] = "x" * 2001

    response = client.post("/members/me/", data)

    assert response.context["form"].errors == {
        "bio": ["Ensure this value has at most 2000 characters (it has 2001)."]
    }
    member.profile.refresh_from_db()
    assert member.profile.bio == "Short."


@pytest.mark.parametrize(
    ("model", "field", "limit"),
    [
        (MembershipApplication, "statement", 5000),
        (MembershipApplication, "declaration_of_interests", 5000),
        (Profile, "bio", 2000),
        (ApplicationEvent, "message", 2000),
        (Invitation, "note", 2000),
    ],
)
def test_the_database_refuses_what_a_form_would(model, field, limit):
    application = ApplicationFactory()
    instance = {
        MembershipApplication: application,
        Profile: application.user.profile,
        ApplicationEvent: ApplicationEvent(application=application, kind="submitted"),
        Invitation: Invitation(
            full_name="N",
            email="n@example.org",
            token_hash="0" * 64,
            expires_at=application.created_at,
        ),
    }[model]
    setattr(instance, field, "x" * limit)
    instance.save()

    setattr(instance, field, "x" * (limit + 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        instance.save()
