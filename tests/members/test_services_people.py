import re
from importlib import import_module

import pytest
from django.conf import settings
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext

from aiii.errors import Conflict, InvalidState, ServiceError
from aiii.models import AuditEntry, OutboxEmail, Session
from members.models import ExpertiseArea, Profile, StakeholderGroup, UserSession
from members.selectors.people import network_composition
from members.services.people import (
    membership_reinstate,
    membership_suspend,
    profile_correct,
    profile_update,
    session_track,
    sessions_end_all,
)
from tests.members.factories import ApplicationFactory, MemberProfileFactory

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
    assert groups["academia"]["width"] == 100  # the longest bar
    assert groups["rightsholder"]["count"] == 1
    assert groups["rightsholder"]["width"] == 50
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
    MemberProfileFactory()
    with CaptureQueriesContext(connection) as one:
        network_composition()
    MemberProfileFactory.create_batch(20, country="JP")
    with CaptureQueriesContext(connection) as many:
        network_composition()
    assert len(one) == len(many) == 2


def test_composition_include_draws_bars_and_table():
    MemberProfileFactory(stakeholder_group=StakeholderGroup.ACADEMIA, country="CH")
    html = render_to_string(
        "members/includes/composition.html", {"composition": network_composition()}
    )
    assert 'role="img"' in html
    assert 'aria-labelledby="composition-groups-title composition-groups-desc"' in html
    # The label and count are text beside the bar (they wrap and follow the page's direction);
    # each bar is a rectangle over a 100-unit track, Academia's the longest.
    assert re.search(
        r'<span class="chart-label">Academia</span>\s*'
        r'<svg class="chart-bar" viewBox="0 0 100 16" preserveAspectRatio="none" [^>]*>'
        r'<rect class="bar" width="100" height="16"></rect></svg>\s*'
        r'<span class="chart-count">1</span>',
        html,
    )
    assert "<caption>Active members by region</caption>" in html
    assert '<tr><th scope="row">Europe</th><td>1</td><td>100%</td></tr>' in html
    assert "style=" not in html


# --- services -------------------------------------------------------------------------------


def _signed_in_session(user):
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store["_auth_user_id"] = str(user.pk)
    store.create()
    session_track(user=user, session_key=store.session_key)
    return store.session_key


def test_profile_update_saves_fields_and_expertise():
    profile = MemberProfileFactory()
    areas = list(ExpertiseArea.objects.all()[:2])
    profile_update(
        profile=profile,
        data={"bio": "Provenance lab.", "show_email": True, "time_zone": "Asia/Tokyo"},
        expertise=areas,
    )
    profile.refresh_from_db()
    assert (profile.bio, profile.show_email, profile.time_zone) == (
        "Provenance lab.",
        True,
        "Asia/Tokyo",
    )
    assert list(profile.expertise.order_by("pk")) == sorted(areas, key=lambda a: a.pk)


def test_profile_update_refuses_fields_a_member_may_not_change():
    profile = MemberProfileFactory()
    with pytest.raises(ValueError):
        profile_update(profile=profile, data={"status": Profile.Status.ACTIVE})


@pytest.mark.parametrize(
    "field, value",
    [
        ("full_name", "Someone Else"),
        ("organisation", "Big Tech Inc"),
        ("stakeholder_group", StakeholderGroup.TECH_COMPANY),
        ("country", "US"),
    ],
)
def test_profile_update_refuses_the_vetted_fields(field, value):
    profile = MemberProfileFactory(
        full_name="Vera Vetted",
        organisation="Vetted Org",
        stakeholder_group=StakeholderGroup.ACADEMIA,
        country="CH",
    )
    with pytest.raises(ValueError, match=field):
        profile_update(profile=profile, data={field: value, "bio": "Also this."})
    profile = Profile.objects.get(pk=profile.pk)
    assert (
        profile.full_name,
        profile.organisation,
        profile.stakeholder_group,
        profile.country,
    ) == (
        "Vera Vetted",
        "Vetted Org",
        "academia",
        "CH",
    )
    assert profile.bio == ""


def test_session_track_is_idempotent():
    profile = MemberProfileFactory()
    session_track(user=profile.user, session_key="k" * 32)
    session_track(user=profile.user, session_key="k" * 32)
    assert list(UserSession.objects.values_list("user_id", "session_key")) == [
        (profile.user_id, "k" * 32)
    ]


def test_sessions_end_all_deletes_only_that_users_sessions():
    profile = MemberProfileFactory()
    other = MemberProfileFactory()
    keys = [_signed_in_session(profile.user), _signed_in_session(profile.user)]
    other_key = _signed_in_session(other.user)
    assert sessions_end_all(user=profile.user) == 2
    assert not Session.objects.filter(session_key__in=keys).exists()
    assert Session.objects.filter(session_key=other_key).exists()
    assert list(UserSession.objects.values_list("session_key", flat=True)) == [other_key]


def test_sessions_end_all_also_ends_a_session_the_tracking_has_not_seen():
    profile = MemberProfileFactory()
    # Signed in again while the suspension committed: the row exists, its tracking not yet.
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store["_auth_user_id"] = str(profile.user.pk)
    store.create()
    other_key = _signed_in_session(MemberProfileFactory().user)
    assert not UserSession.objects.filter(session_key=store.session_key).exists()
    sessions_end_all(user=profile.user)
    assert not Session.objects.filter(session_key=store.session_key).exists()
    assert Session.objects.filter(session_key=other_key).exists()


def test_membership_suspend(secretariat, django_capture_on_commit_callbacks, mailoutbox):
    profile = MemberProfileFactory(full_name="Ana O'Neill")
    keys = [_signed_in_session(profile.user), _signed_in_session(profile.user)]

    with django_capture_on_commit_callbacks(execute=True):
        membership_suspend(
            profile=profile, by=secretariat, reason="Broke the confidentiality rule."
        )

    profile.refresh_from_db()
    profile.user.refresh_from_db()
    assert profile.status == Profile.Status.SUSPENDED
    assert profile.user.is_active is False
    assert not Session.objects.filter(session_key__in=keys).exists()
    assert not UserSession.objects.filter(user=profile.user).exists()
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.actor, entry.target_id, entry.reason, entry.data) == (
        "membership.suspend",
        secretariat,
        str(profile.pk),
        "Broke the confidentiality rule.",
        {"sessions_ended": 2},
    )
    row = OutboxEmail.objects.get()
    assert row.to == [profile.user.email]
    assert row.idempotency_key == f"members.profile:{profile.pk}:v2:membership_suspended"
    assert row.subject == "[AIII Exchange] Your AIII membership has been suspended"
    assert "Dear Ana O'Neill," in row.body_text
    assert "Broke the confidentiality rule." in row.body_text
    # The sender is no-reply: the email says where questions go instead.
    assert f"write to the AIII secretariat at {settings.AIII_CONTACT_EMAIL}." in row.body_text
    assert "<p>Dear Ana O&#x27;Neill,</p>" in row.body_html
    assert "<blockquote>Broke the confidentiality rule.</blockquote>" in row.body_html
    assert [m.subject for m in mailoutbox] == [row.subject]


def test_membership_suspend_twice_is_refused_without_a_second_entry(secretariat):
    profile = MemberProfileFactory()
    membership_suspend(profile=profile, by=secretariat, reason="First.")
    with pytest.raises(InvalidState, match="is not an active member"):
        membership_suspend(profile=profile, by=secretariat, reason="Second.")
    assert AuditEntry.objects.count() == 1
    assert OutboxEmail.objects.count() == 1


def test_membership_suspend_needs_a_reason(secretariat):
    profile = MemberProfileFactory()
    with pytest.raises(ServiceError):
        membership_suspend(profile=profile, by=secretariat, reason="   ")
    profile.refresh_from_db()
    assert profile.status == Profile.Status.ACTIVE
    assert not AuditEntry.objects.exists()


def test_membership_suspend_refuses_applicants(secretariat):
    application = ApplicationFactory()
    with pytest.raises(InvalidState):
        membership_suspend(profile=application.user.profile, by=secretariat, reason="No.")
    application.user.refresh_from_db()
    assert application.user.is_active is True


def test_membership_reinstate(secretariat, django_capture_on_commit_callbacks):
    profile = MemberProfileFactory()
    membership_suspend(profile=profile, by=secretariat, reason="Pending review.")
    with django_capture_on_commit_callbacks(execute=True):
        membership_reinstate(profile=profile, by=secretariat, reason="Review closed.")
    profile.refresh_from_db()
    profile.user.refresh_from_db()
    assert profile.status == Profile.Status.ACTIVE
    assert profile.user.is_active is True
    assert list(AuditEntry.objects.order_by("pk").values_list("action", "reason")) == [
        ("membership.suspend", "Pending review."),
        ("membership.reinstate", "Review closed."),
    ]
    reinstated = OutboxEmail.objects.get(idempotency_key__endswith=":membership_reinstated")
    assert reinstated.subject == "[AIII Exchange] Your AIII membership has been reinstated"
    assert "http://testserver/accounts/login/" in reinstated.body_text
    assert '<a href="http://testserver/accounts/login/">Sign in</a>' in reinstated.body_html
    assert "<blockquote>Review closed.</blockquote>" in reinstated.body_html


def test_membership_reinstate_of_an_active_member_is_refused(secretariat):
    profile = MemberProfileFactory()
    with pytest.raises(InvalidState, match="is not suspended"):
        membership_reinstate(profile=profile, by=secretariat, reason="Why not.")
    assert not AuditEntry.objects.exists()
    assert not OutboxEmail.objects.exists()


# --- the secretariat's corrections ----------------------------------------------------------


def _corrected_profile():
    return MemberProfileFactory(
        full_name="Jo Wrongname",
        organisation="Old Org",
        stakeholder_group=StakeholderGroup.ACADEMIA,
        country="CH",
        bio="My own words.",
        language="en",
    )


def test_profile_correct_applies_audits_and_emails(
    secretariat, django_capture_on_commit_callbacks, mailoutbox
):
    profile = _corrected_profile()
    seen = profile.version

    with django_capture_on_commit_callbacks(execute=True):
        profile_correct(
            profile=profile,
            by=secretariat,
            changes={
                "full_name": "Jo Rightname",
                "organisation": "Old Org",  # the same as now: not a change
                "stakeholder_group": StakeholderGroup.CIVIL_SOCIETY,
                "country": "KE",
            },
            reason="Name misspelt at approval; moved to an NGO in Nairobi.",
            version=seen,
        )

    profile.refresh_from_db()
    profile.user.refresh_from_db()
    assert (
        profile.full_name,
        profile.organisation,
        profile.stakeholder_group,
        profile.country,
        profile.bio,
    ) == ("Jo Rightname", "Old Org", "civil_society", "KE", "My own words.")
    assert profile.version > seen
    assert (profile.user.first_name, profile.user.last_name) == ("Jo", "Rightname")
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.actor, entry.target_id, entry.target_label, entry.reason) == (
        "member.correct",
        secretariat,
        str(profile.pk),
        "Jo Rightname",
        "Name misspelt at approval; moved to an NGO in Nairobi.",
    )
    assert entry.data == {
        "before": {"full_name": "Jo Wrongname", "stakeholder_group": "academia", "country": "CH"},
        "after": {
            "full_name": "Jo Rightname",
            "stakeholder_group": "civil_society",
            "country": "KE",
        },
    }
    row = OutboxEmail.objects.get()
    assert row.to == [profile.user.email]
    assert row.idempotency_key == f"members.profile:{profile.pk}:v2:profile_corrected"
    assert row.subject == "[AIII Exchange] The secretariat corrected your membership details"
    assert "Dear Jo Rightname," in row.body_text
    assert "- Name: now Jo Rightname (was Jo Wrongname)" in row.body_text
    assert "- Stakeholder group: now Civil society (was Academia)" in row.body_text
    assert "- Country: now Kenya (was Switzerland)" in row.body_text
    assert "Organisation" not in row.body_text
    assert "Name misspelt at approval; moved to an NGO in Nairobi." in row.body_text
    assert "<li>Country: now Kenya (was Switzerland)</li>" in row.body_html
    assert [m.subject for m in mailoutbox] == [row.subject]


def test_profile_correct_saves_only_the_changed_fields(secretariat):
    profile = _corrected_profile()
    seen = profile.version
    # Someone else's write to another field after the caller read the profile: only the
    # corrected field is written, so it survives (the check compares the version, which only
    # the secretariat's changes bump).
    Profile.objects.filter(pk=profile.pk).update(bio="Written meanwhile.")
    profile_correct(
        profile=profile,
        by=secretariat,
        changes={"organisation": ""},
        reason="Left the organisation.",
        version=seen,
    )
    profile.refresh_from_db()
    assert (profile.organisation, profile.bio) == ("", "Written meanwhile.")
    assert AuditEntry.objects.get().data == {
        "before": {"organisation": "Old Org"},
        "after": {"organisation": ""},
    }
    assert "- Organisation: now not given (was Old Org)" in OutboxEmail.objects.get().body_text


def test_profile_correct_on_a_stale_form_changes_nothing(secretariat):
    profile = _corrected_profile()
    seen = profile.version
    profile_correct(
        profile=profile,
        by=secretariat,
        changes={"full_name": "First Correction"},
        reason="First.",
        version=seen,
    )

    with pytest.raises(Conflict, match="changed since you opened the page"):
        profile_correct(
            profile=profile,
            by=secretariat,
            changes={"full_name": "Second Correction", "country": "JP"},
            reason="Second.",
            version=seen,
        )

    profile.refresh_from_db()
    assert (profile.full_name, profile.country) == ("First Correction", "CH")
    assert list(AuditEntry.objects.values_list("reason", flat=True)) == ["First."]
    assert OutboxEmail.objects.count() == 1


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_profile_correct_needs_a_reason(secretariat, reason):
    profile = _corrected_profile()
    with pytest.raises(ServiceError, match="reason"):
        profile_correct(
            profile=profile,
            by=secretariat,
            changes={"full_name": "No Reason"},
            reason=reason,
            version=profile.version,
        )
    profile.refresh_from_db()
    assert profile.full_name == "Jo Wrongname"
    assert not AuditEntry.objects.exists()
    assert not OutboxEmail.objects.exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        # a programming error (the form never offers it) and a user's one
        ({"bio": "Not vetted."}, "Not a vetted field: bio"),
        ({"full_name": "Jo Wrongname", "country": "CH"}, "Nothing to correct"),
    ],
)
def test_profile_correct_refuses_other_fields_and_no_change(secretariat, changes, message):
    profile = _corrected_profile()
    with pytest.raises((ValueError, ServiceError), match=message):
        profile_correct(
            profile=profile,
            by=secretariat,
            changes=changes,
            reason="Because.",
            version=profile.version,
        )
    profile.refresh_from_db()
    assert profile.bio == "My own words."
    assert not AuditEntry.objects.exists()
    assert not OutboxEmail.objects.exists()
