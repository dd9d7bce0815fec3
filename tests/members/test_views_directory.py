import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from members.middleware import SESSION_TRACKED_KEY
from members.models import ExpertiseArea, Profile, StakeholderGroup, UserSession
from tests.members.factories import (
    ApplicationFactory,
    MemberProfileFactory,
    ProfileFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

DIRECTORY = reverse("members:directory")
ME = reverse("members:me")


def _select(html, name, group=None):
    """The markup inside the select `name`, or inside its optgroup labelled `group`."""
    inner = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S).group(1)
    if group is None:
        return inner
    return re.search(rf'<optgroup label="{group}">(.*?)</optgroup>', inner, re.S).group(1)


def _names(response):
    return [entry["full_name"] for entry in response.context["entries"]]


def test_directory_lists_active_members_only(member_client, member):
    MemberProfileFactory(full_name="Beatriz Active")
    MemberProfileFactory(full_name="Carl Suspended", status=Profile.Status.SUSPENDED)
    ApplicationFactory(full_name="Dora Applicant")
    ProfileFactory(full_name="Emil Staff")

    response = member_client.get(DIRECTORY)

    assert response.status_code == 200
    assert sorted(_names(response)) == sorted(["Beatriz Active", member.profile.full_name])
    html = response.content.decode()
    assert "Carl Suspended" not in html and "Dora Applicant" not in html
    assert "<h1>Members of the Technical Exchange Network</h1>" in html


def test_directory_shows_only_the_fields_each_member_chose(member_client):
    area = ExpertiseArea.objects.first()
    shown = MemberProfileFactory(
        full_name="Shows Everything",
        organisation="Open Org",
        show_email=True,
        country="JP",
    )
    shown.expertise.add(area)
    hidden = MemberProfileFactory(
        full_name="Shows Nothing",
        organisation="Secret Org",
        country="KE",
        show_organisation=False,
        show_country=False,
        show_stakeholder_group=False,
        show_expertise=False,
        show_email=False,
    )
    hidden.expertise.add(area)

    response = member_client.get(DIRECTORY)
    page = response.content.decode()
    html = page[page.index('<ul class="directory">') :]  # the list, not the filter form

    assert '<dd class="member-organisation">Open Org</dd>' in html
    assert '<dd class="member-fact">Japan</dd>' in html and shown.user.email in html
    assert "Shows Nothing" in html
    assert "Secret Org" not in page and "Kenya" not in html and hidden.user.email not in page
    entries = {e["full_name"]: e for e in response.context["entries"]}
    assert entries["Shows Nothing"] == {
        "pk": hidden.pk,
        "full_name": "Shows Nothing",
        "url": f"/members/{hidden.pk}/",
        "member_since": hidden.member_since,
    }


def test_directory_filters_respect_what_members_hide(member_client):
    MemberProfileFactory(full_name="Kenyan Shown", country="KE")
    MemberProfileFactory(full_name="Kenyan Hidden", country="KE", show_country=False)
    MemberProfileFactory(full_name="Swiss", country="CH")
    assert _names(member_client.get(DIRECTORY, {"country": "KE"})) == ["Kenyan Shown"]


def test_directory_filters_by_group_expertise_and_name(member_client):
    area = ExpertiseArea.objects.get(slug=ExpertiseArea.objects.first().slug)
    rights = MemberProfileFactory(
        full_name="Rita Rights", stakeholder_group=StakeholderGroup.RIGHTSHOLDER
    )
    rights.expertise.add(area)
    MemberProfileFactory(full_name="Tom Tech", stakeholder_group=StakeholderGroup.TECH_COMPANY)

    assert _names(member_client.get(DIRECTORY, {"stakeholder_group": "rightsholder"})) == [
        "Rita Rights"
    ]
    assert _names(member_client.get(DIRECTORY, {"expertise": area.slug})) == ["Rita Rights"]
    assert _names(member_client.get(DIRECTORY, {"q": "tom"})) == ["Tom Tech"]


@pytest.mark.parametrize("view", ["cards", "list"])
def test_directory_query_count_is_constant(member_client, view):
    areas = list(ExpertiseArea.objects.all()[:2])
    MemberProfileFactory().expertise.set(areas)
    member_client.get(DIRECTORY)  # session tracking and other first-request work
    cache.clear()  # the content rendered, not served from the cache (aiii/fragments.py)
    with CaptureQueriesContext(connection) as one:
        assert member_client.get(DIRECTORY, {"view": view}).status_code == 200
    for profile in MemberProfileFactory.create_batch(49):
        profile.expertise.set(areas)
    with CaptureQueriesContext(connection) as many:
        response = member_client.get(DIRECTORY, {"view": view})
    assert len(response.context["entries"]) == 25
    assert len(one) == len(many)
    # Served from the cache: one query (the session with its user), however many members.
    with CaptureQueriesContext(connection) as cached:
        again = member_client.get(DIRECTORY, {"view": view})
        assert _main(again.content) == _main(response.content)
    assert len(cached) == 1, [q["sql"] for q in cached]


def _text(markup):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", markup)).strip()


def _rows(html):
    """The list view's rows by the member's name: {name: [name cell, organisation, group,
    country, areas]} as text, the avatar's initials left out (it is decorative)."""
    body = html[html.index("<tbody>") : html.index("</tbody>")]
    body = re.sub(r'<span class="avatar[^"]*" aria-hidden="true">[^<]*</span>', "", body)
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", body, re.S):
        name = _text(re.search(r"<a [^>]*>(.*?)</a>", row).group(1))
        rows[name] = [_text(cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
    return rows


def test_directory_list_names_each_detail_once_as_a_column(member_client, member):
    area = ExpertiseArea.objects.order_by("position").first()
    shown = MemberProfileFactory(
        full_name="Shows Everything", organisation="Open Org", country="JP", show_email=True
    )
    shown.expertise.add(area)
    MemberProfileFactory(
        full_name="Shows Nothing", organisation="Secret Org", show_organisation=False
    )

    html = member_client.get(DIRECTORY, {"view": "list"}).content.decode()

    assert '<ul class="directory">' not in html  # no cards
    headings = re.findall(r'<th scope="col">([^<]+)</th>', html)
    assert headings == [
        "Name",
        "Organisation",
        "Stakeholder group",
        "Country",
        "Areas of expertise",
    ]
    rows = _rows(html)
    assert rows["Shows Everything"] == [
        f"Shows Everything {shown.user.email}",
        "Open Org",
        shown.get_stakeholder_group_display(),
        "Japan",
        area.name,
    ]
    assert rows["Shows Nothing"][:2] == ["Shows Nothing", ""]
    assert "Secret Org" not in html
    assert f'href="mailto:{shown.user.email}"' in html
    # The switch marks the layout shown, and each layout's link keeps the other parameters.
    assert re.search(r'<a href="\?view=list" aria-current="true">', html)
    assert re.search(r'<a href="\?view=cards">', html)


def test_directory_list_keeps_its_layout_through_filters_pages_and_clearing(member_client):
    MemberProfileFactory.create_batch(30, stakeholder_group=StakeholderGroup.ACADEMIA)

    html = member_client.get(
        DIRECTORY, {"view": "list", "stakeholder_group": "academia", "page": 2}
    ).content.decode()

    # The filter form sends the layout along; "Show everyone" and the pages keep it.
    assert '<input type="hidden" name="view" value="list" id="id_view">' in html
    assert f'href="{DIRECTORY}?view=list">Show everyone</a>' in html
    assert 'href="?view=list&amp;stakeholder_group=academia&amp;page=1" rel="prev"' in html
    assert 'href="?view=cards&amp;stakeholder_group=academia&amp;page=2"' in html


def test_directory_layout_alone_is_not_a_filter_and_a_wrong_one_shows_cards(member_client):
    MemberProfileFactory(full_name="Kenyan", country="KE")
    MemberProfileFactory(full_name="Swiss", country="CH")

    response = member_client.get(DIRECTORY, {"view": "list"})
    assert response.context["filtered"] is False
    assert "Show everyone" not in response.content.decode()

    response = member_client.get(DIRECTORY, {"view": "<b>", "country": "KE"})
    html = response.content.decode()
    assert _names(response) == ["Kenyan"]  # the filter still applies
    assert '<ul class="directory">' in html and "directory-table" not in html
    assert 'href="/members/">Show everyone</a>' in html


def test_directory_is_paginated(member_client, settings):
    MemberProfileFactory.create_batch(30)
    response = member_client.get(DIRECTORY, {"page": 2})
    assert len(response.context["entries"]) == 31 - 25
    assert "Page 2 of 2 (31 in all)" in response.content.decode()


def test_directory_denies_applicants_and_redirects_anonymous(client):
    MemberProfileFactory(full_name="Hidden From Outsiders")
    response = client.get(DIRECTORY)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    applicant = ApplicationFactory().user
    client.force_login(applicant)
    response = client.get(DIRECTORY)
    assert response.status_code == 403
    assert "Hidden From Outsiders" not in response.content.decode()


def test_profile_page_shows_chosen_fields(member_client):
    other = MemberProfileFactory(
        full_name="Ines Info",
        bio="I build watermark detectors.",
        public_profile_url="https://example.org/ines",
        show_profile_url=False,
    )
    response = member_client.get(reverse("members:profile", args=[other.pk]))
    html = response.content.decode()
    assert "<h1>Ines Info</h1>" in html
    assert "<p>I build watermark detectors.</p>" in html
    assert "https://example.org/ines" not in html


@pytest.mark.parametrize("kind", ["suspended", "applicant", "staff", "unknown"])
def test_profile_page_of_a_non_member_is_404(member_client, kind):
    if kind == "suspended":
        pk = MemberProfileFactory(status=Profile.Status.SUSPENDED, full_name="Leak").pk
    elif kind == "applicant":
        pk = ApplicationFactory(full_name="Leak").user.profile.pk
    elif kind == "staff":
        pk = ProfileFactory(full_name="Leak").pk
    else:
        pk = 999999
    response = member_client.get(reverse("members:profile", args=[pk]))
    assert response.status_code == 404
    assert "Leak" not in response.content.decode()


def test_me_shows_the_form(member_client, member):
    response = member_client.get(ME)
    html = response.content.decode()
    assert response.status_code == 200
    # Zones are grouped by region, each labelled by its place.
    assert '<option value="Asia/Tokyo">Tokyo</option>' in _select(html, "time_zone", "Asia")
    assert "What other members see" in html
    assert 'name="notification_preference"' in html


def test_my_page_is_kept_for_me_alone_and_shows_a_change_at_once(member_client, member):
    other = MemberProfileFactory(full_name="Otto Other", bio="Otto's own words.").user
    member_client.get("/robots.txt")  # the first request of a session records it
    member_client.get(ME)
    with CaptureQueriesContext(connection) as queries:
        kept = member_client.get(ME)
    assert kept.status_code == 200 and len(queries) == 1  # only the session, with its user
    assert member.profile.full_name in kept.content.decode()

    browser = Client()
    browser.force_login(other)
    theirs = browser.get(ME).content.decode()
    assert "Otto Other" in theirs and "Otto&#x27;s own words." in theirs
    assert member.profile.full_name not in theirs
    assert "Otto" not in member_client.get(ME).content.decode()

    # Changed elsewhere (the secretariat corrects a vetted detail): shown on the next request.
    profile = Profile.objects.get(pk=member.profile.pk)
    profile.organisation = "Corrected Organisation"
    profile.save()
    assert "Corrected Organisation" in member_client.get(ME).content.decode()


def _me_data(profile, **changes):
    data = {
        "bio": "",
        "public_profile_url": "",
        "show_organisation": "on",
        "time_zone": "UTC",
        "language": "en",
        "notification_preference": "daily",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_me_saves_profile_visibility_and_settings(member_client, member):
    area = ExpertiseArea.objects.first()
    response = member_client.post(
        ME,
        _me_data(
            member.profile,
            bio="I work on provenance.",
            expertise=[str(area.pk)],
            show_email="on",
            time_zone="America/Sao_Paulo",
            language="fr",
            notification_preference="weekly",
        ),
    )
    assert response.status_code == 302 and response["Location"] == ME
    profile = Profile.objects.get(pk=member.profile.pk)
    assert profile.bio == "I work on provenance."
    assert list(profile.expertise.all()) == [area]
    assert (profile.show_email, profile.show_country, profile.show_organisation) == (
        True,
        False,
        True,
    )
    assert (profile.time_zone, profile.language, profile.notification_preference) == (
        "America/Sao_Paulo",
        "fr",
        "weekly",
    )


def test_me_shows_vetted_fields_as_text_and_ignores_attempts_to_change_them(member_client, member):
    profile = member.profile
    profile.full_name = "Vera Vetted"
    profile.organisation = "Vetted Org"
    profile.stakeholder_group = StakeholderGroup.ACADEMIA
    profile.country = "CH"
    profile.save()

    html = member_client.get(ME).content.decode()
    for name in ("full_name", "organisation", "stakeholder_group", "country"):
        assert f'name="{name}"' not in html
    assert "<dt>Name</dt><dd>Vera Vetted</dd>" in html
    assert "<dt>Organisation</dt><dd>Vetted Org</dd>" in html
    assert "<dt>Stakeholder group</dt><dd>Academia</dd>" in html
    assert "<dt>Country</dt><dd>Switzerland</dd>" in html
    assert "to change these, contact the secretariat." in html

    response = member_client.post(
        ME,
        _me_data(
            profile,
            full_name="Someone Else",
            organisation="Big Tech Inc",
            stakeholder_group=StakeholderGroup.TECH_COMPANY,
            country="US",
            bio="Changed my introduction.",
        ),
    )

    assert response.status_code == 302
    profile = Profile.objects.get(pk=profile.pk)
    assert (
        profile.full_name,
        profile.organisation,
        profile.stakeholder_group,
        profile.country,
        profile.bio,
    ) == ("Vera Vetted", "Vetted Org", "academia", "CH", "Changed my introduction.")


def test_me_applies_language_and_time_zone_from_the_next_request(member_client, member, settings):
    settings.AIII_LANGUAGES_READY = ["en", "fr"]
    member_client.post(ME, _me_data(member.profile, language="fr", time_zone="Asia/Tokyo"))
    response = member_client.get(DIRECTORY)
    assert '<html lang="fr"' in response.content.decode()
    # The page was rendered in the member's zone (the tz context processor reports it) ...
    assert response.context["TIME_ZONE"] == "Asia/Tokyo"
    # ... and the zone does not outlive the request.
    assert str(timezone.get_current_timezone()) == "UTC"


def test_me_rejects_an_unknown_time_zone_and_keeps_the_input(member_client, member):
    response = member_client.post(
        ME,
        _me_data(
            member.profile, time_zone="Mars/Olympus", public_profile_url="https://kept.example"
        ),
    )
    assert response.status_code == 400  # the form again, with its errors
    html = response.content.decode()
    assert "Select a valid choice. Mars/Olympus is not one of the available choices." in html
    assert 'class="error-summary"' in html
    assert 'value="https://kept.example"' in html
    assert Profile.objects.get(pk=member.profile.pk).time_zone == "UTC"


def test_me_for_a_delegate_has_settings_but_no_directory_fields(client):
    delegate = ProfileFactory(user=UserFactory(groups=["delegate"]), full_name="Del Egate")
    client.force_login(delegate.user)
    html = client.get(ME).content.decode()
    assert "What other members see" not in html and 'name="organisation"' not in html
    response = client.post(
        ME,
        {
            "full_name": "Someone Else",
            "time_zone": "Europe/Zurich",
            "language": "es",
            "notification_preference": "off",
        },
    )
    assert response.status_code == 302
    delegate.refresh_from_db()
    assert delegate.full_name == "Del Egate"
    assert (delegate.time_zone, delegate.language, delegate.notification_preference) == (
        "Europe/Zurich",
        "es",
        "off",
    )


def test_me_is_refused_to_applicants(client):
    client.force_login(ApplicationFactory().user)
    assert client.get(ME).status_code == 403


def test_middleware_records_the_session_once(member_client, member):
    member_client.get(DIRECTORY)
    member_client.get(DIRECTORY)
    key = member_client.session.session_key
    assert list(UserSession.objects.values_list("user_id", "session_key")) == [(member.pk, key)]
    assert member_client.session[SESSION_TRACKED_KEY] == key


def test_my_profile_links_to_email_password_and_second_factor(member_client):
    html = member_client.get(reverse("members:me")).content.decode()
    for name in ("account_email", "account_change_password", "mfa_index"):
        assert f'href="{reverse(name)}"' in html, name
    assert '<h2 id="account-heading">Sign-in and security</h2>' in html


def test_the_landing_page_greets_a_member_by_name_not_address(client):
    member = MemberProfileFactory(full_name="Wen Long-Address").user
    client.force_login(member)
    html = client.get("/").content.decode()
    assert "Welcome, Wen Long-Address" in html
    assert f"Welcome, {member.email}" not in html


def _main(content):
    """The page's main content (the header's sign-out form has a new CSRF mask each time)."""
    html = content.decode()
    return html[html.index("<main") : html.index("</main>")]
