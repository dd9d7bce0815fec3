"""The shared building blocks every app's state changes, views and pages are made of."""

import re
import zlib
from datetime import UTC, datetime

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.db import transaction
from django.http import Http404, HttpResponse
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import timezone

from aiii.access import get_visible_or_404
from aiii.actions import form_action
from aiii.errors import Conflict, InvalidState, ServiceError
from aiii.forms import VersionedForm
from aiii.guardian import grant, objects_visible_to, revoke
from aiii.secretariat import dashboard_tools, secretariat_urlpatterns
from aiii.state import email_key, locked
from aiii.templatetags.aiii import AVATAR_TONES, initials
from members.models import MembershipApplication, Profile
from tests.members.factories import ApplicationFactory, MemberProfileFactory

pytestmark = pytest.mark.django_db
Status = MembershipApplication.Status


# --- aiii.state -----------------------------------------------------------------------------


def test_locked_returns_the_row_when_version_and_state_allow():
    application = ApplicationFactory()
    with transaction.atomic():
        row = locked(
            MembershipApplication.objects, application.pk, version=1, allowed=(Status.PENDING,)
        )
    assert (row.pk, row.version, row.status) == (application.pk, 1, Status.PENDING)


def test_locked_refuses_a_stale_version_with_the_objects_name_and_state():
    application = ApplicationFactory(full_name="Vera Version")
    MembershipApplication.objects.filter(pk=application.pk).update(version=2)
    with pytest.raises(Conflict) as refused, transaction.atomic():
        locked(
            MembershipApplication.objects,
            application.pk,
            version=1,
            stale="%(name)s is now %(status)s.",
        )
    assert refused.value.message == f"{application} is now Awaiting a decision."
    assert str(application).startswith("Vera Version")
    assert refused.value.status == 409


def test_locked_refuses_a_state_that_does_not_allow_the_change():
    application = ApplicationFactory(status=Status.REJECTED)
    with pytest.raises(InvalidState) as refused, transaction.atomic():
        locked(MembershipApplication.objects, application.pk, allowed=(Status.PENDING,))
    assert "Rejected" in refused.value.message
    # A predicate works as well as a list of states.
    with transaction.atomic():
        row = locked(
            MembershipApplication.objects, application.pk, allowed=lambda a: a.decided_at is None
        )
    assert row.pk == application.pk


def test_locked_finds_a_row_by_lookup_and_says_when_there_is_none():
    application = ApplicationFactory()
    with transaction.atomic():
        assert locked(MembershipApplication.objects, user=application.user).pk == application.pk
    with pytest.raises(MembershipApplication.DoesNotExist), transaction.atomic():
        locked(MembershipApplication.objects, pk=application.pk + 1000)


def test_email_key_names_the_object_its_version_and_the_event():
    application = ApplicationFactory()
    assert email_key(application, "approved") == (
        f"members.membershipapplication:{application.pk}:v1:approved"
    )
    application.bump_version()
    assert email_key(application, "approved", recipient=7).endswith(":v2:approved:7")


def test_the_version_field_is_hidden_and_says_the_page_is_out_of_date():
    profile = MemberProfileFactory()
    form = VersionedForm(obj=profile)
    assert (
        str(form["version"])
        == f'<input type="hidden" name="version" value="{profile.version}" id="id_version">'
    )
    bound = VersionedForm({"version": "x"})
    assert not bound.is_valid()
    assert bound.errors["version"] == ["This form is out of date: reload the page."]


# --- aiii.actions.form_action ----------------------------------------------------------------


def _request(method="post"):
    request = getattr(RequestFactory(), method)("/thing/1/act/")
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


class _Page:
    """Records how form_action asked for the page again."""

    def __init__(self):
        self.calls = []

    def __call__(self, *, form=None, error=None, status):
        self.calls.append({"form": form, "error": error, "status": status})
        return HttpResponse(status=status)


def _act(request, perform, data=None):
    page = _Page()
    response = form_action(
        request,
        form=VersionedForm(data if data is not None else {"version": "1"}),
        perform=perform,
        page=page,
        success="Done.",
        then="/thing/1/",
    )
    return response, page.calls


def test_form_action_success_redirects_with_a_message():
    request = _request()
    response, calls = _act(request, lambda data: data["version"])
    assert (response.status_code, response["Location"], calls) == (302, "/thing/1/", [])
    assert [str(m) for m in get_messages(request)] == ["Done."]


def test_form_action_invalid_form_is_the_page_again_with_400():
    response, calls = _act(_request(), lambda data: pytest.fail("not called"), data={})
    assert response.status_code == 400
    assert calls[0]["status"] == 400 and "version" in calls[0]["form"].errors


def test_form_action_conflict_is_the_page_reloaded_with_409():
    def perform(data):
        raise Conflict("Someone was quicker.")

    response, calls = _act(_request(), perform)
    assert response.status_code == 409
    assert calls == [{"form": None, "error": "Someone was quicker.", "status": 409}]


def test_form_action_service_error_is_shown_on_the_form_with_400():
    def perform(data):
        raise ServiceError("A reason is required.")

    response, calls = _act(_request(), perform)
    assert response.status_code == 400
    assert calls[0]["form"].non_field_errors() == ["A reason is required."]


def test_form_action_get_leads_to_the_objects_page_instead_of_405():
    response, calls = _act(_request("get"), lambda data: pytest.fail("not called"))
    assert (response.status_code, response["Location"], calls) == (302, "/thing/1/", [])


# --- access helpers -------------------------------------------------------------------------


def test_get_visible_or_404_answers_404_for_missing_and_forbidden_alike(member):
    other = MemberProfileFactory()
    assert get_visible_or_404(Profile, member, pk=other.pk) == other
    applicant = ApplicationFactory().user
    with pytest.raises(Http404):
        get_visible_or_404(Profile, applicant, pk=other.pk)
    with pytest.raises(Http404):
        get_visible_or_404(Profile.objects.all(), member, pk=other.pk + 1000)


def test_guardian_grant_and_revoke_are_object_rights_only(member):
    profile = MemberProfileFactory()
    others = MemberProfileFactory()
    everyone = Profile.objects.all()
    assert list(objects_visible_to(member, "members.view_profile", everyone)) == []
    grant("view_profile", to=member, obj=profile)
    assert list(objects_visible_to(member, "members.view_profile", everyone)) == [profile]
    assert others not in objects_visible_to(member, "members.view_profile", everyone)
    revoke("view_profile", to=member, obj=profile)
    assert list(objects_visible_to(member, "members.view_profile", everyone)) == []


# --- the secretariat's shell and the template components ------------------------------------


def test_apps_contribute_their_secretariat_pages_and_tools():
    names = {pattern.name for pattern in secretariat_urlpatterns()}
    assert {"applications", "members", "member_suspend"} <= names
    tools = [tool.url_name for tool in dashboard_tools()]
    assert tools[:2] == ["secretariat:applications", "secretariat:invite"]


def test_times_show_one_format_in_the_viewers_zone():
    moment = datetime(2026, 3, 3, 12, 0, tzinfo=UTC)
    template = Template("{% load aiii %}{% timetag moment %}|{% datetag moment %}")
    with timezone.override("Asia/Tokyo"):
        shown = template.render(Context({"moment": moment}))
    assert shown == (
        '<time datetime="2026-03-03T21:00:00+09:00">2026-03-03 21:00 JST</time>|'
        '<time datetime="2026-03-03">2026-03-03</time>'
    )


@pytest.mark.parametrize(
    ("name", "letters"),
    [
        ("Ana María Silva", "AS"),  # first and last word
        ("grace hopper", "GH"),
        ("Zhang", "Z"),
        ("(Dr.) Li Wei", "DW"),  # letters only: not "(W"
        ("Ṣāliḥ ibn ʿAlī", "ṢA"),  # the first letter of a word, whatever marks precede it
        ("فاطمة الزهراء", "فا"),
        ("李明", "李"),
        ("", ""),
        ("  — ", ""),
    ],
)
def test_initials_are_the_first_letters_of_the_first_and_last_words(name, letters):
    assert initials(name) == letters


def test_an_avatar_is_decorative_and_keeps_its_colour_for_a_name():
    template = Template("{% load aiii %}{% avatar name %}|{% avatar name 'small' %}")
    shown = template.render(Context({"name": "Grace Hopper"}))
    tone = zlib.crc32(b"Grace Hopper") % AVATAR_TONES
    assert shown == (
        f'<span class="avatar avatar-tone-{tone}" aria-hidden="true">GH</span>|'
        f'<span class="avatar avatar-tone-{tone} avatar-small" aria-hidden="true">GH</span>'
    )
    # Every tone has its colour in the stylesheet: a tone without one would be white on white.
    css = (settings.BASE_DIR / "static" / "css" / "aiii.css").read_text()
    for number in range(AVATAR_TONES):
        assert re.search(rf"\.avatar-tone-{number} \{{ background: #[0-9a-f]{{6}}; \}}", css)


def test_the_signed_in_user_comes_with_their_profile_in_one_query(
    member, django_assert_num_queries
):
    from aiii.auth_backends import AuthenticationBackend, ModelBackend

    for backend in (ModelBackend(), AuthenticationBackend()):
        with django_assert_num_queries(1):
            user = backend.get_user(member.pk)
            assert user.profile.full_name == member.profile.full_name
    member.is_active = False
    member.save(update_fields=["is_active"])
    assert ModelBackend().get_user(member.pk) is None
