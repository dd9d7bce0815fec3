"""The country and time-zone lists as members and the secretariat see them (usability 7)."""

import html as html_lib
import re

import pytest
from django.urls import reverse

from aiii.countries import COUNTRY_CHOICES, collation_key, country_name
from aiii.time_zones import canonical_time_zones
from members.models import Profile
from tests.members.factories import MemberProfileFactory

pytestmark = pytest.mark.django_db

DIRECTORY = reverse("members:directory")
ME = reverse("members:me")


def _select(html, name):
    return re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S).group(1)


def _labels(select_html):
    return [
        html_lib.unescape(label)
        for label in re.findall(r"<option [^>]*>(.*?)</option>", select_html)
    ]


def test_directory_country_filter_uses_official_names_in_collation_order(member_client):
    html = member_client.get(DIRECTORY).content.decode()
    labels = _labels(_select(html, "country"))
    assert labels[0] == "All countries"
    names = labels[1:]
    assert len(names) == 249
    assert names == sorted(names, key=collation_key)
    # Accents do not send a name to the end of the list.
    assert names[:3] == ["Afghanistan", "Åland Islands", "Albania"]
    position = names.index
    assert position("Costa Rica") < position("Côte d’Ivoire") < position("Croatia")
    assert position("Côte d’Ivoire") < position("Czechia")
    # ISO 3166 / UN short names, not abbreviations or CLDR's colloquial forms.
    for official in (
        "Central African Republic",
        "Turks and Caicos Islands",
        "Bonaire, Sint Eustatius and Saba",
        "Democratic Republic of the Congo",
        "Saint Kitts and Nevis",
    ):
        assert official in names
    assert not [name for name in names if "&" in name or "Rep." in name or "St. " in name]
    assert "Caribbean NL" not in names and "Turks and Caicos Is" not in names


def test_country_lists_and_displays_agree(member_client):
    assert COUNTRY_CHOICES[0] == ("AF", "Afghanistan")
    assert Profile(country="CF").get_country_display() == "Central African Republic"
    assert Profile(country="").get_country_display() == ""
    assert country_name("CI") == "Côte d’Ivoire"
    MemberProfileFactory(full_name="Ivorian Member", country="CI", show_country=True)
    entries = member_client.get(DIRECTORY).context["entries"]
    assert [e["country"] for e in entries if e["full_name"] == "Ivorian Member"] == [
        "Côte d’Ivoire"
    ]


def test_time_zones_are_canonical_and_grouped_by_region(member_client):
    html = member_client.get(ME).content.decode()
    select = _select(html, "time_zone")
    assert "Africa/Asmera" not in select and "Asia/Calcutta" not in select
    assert '<option value="Africa/Asmara">Asmara</option>' in select
    assert '<option value="Asia/Kolkata">Kolkata</option>' in select
    groups = re.findall(r'<optgroup label="([^"]+)">', select)
    assert groups == [
        "Africa",
        "Americas",
        "Antarctica",
        "Arctic",
        "Asia",
        "Atlantic Ocean",
        "Australia",
        "Europe",
        "Indian Ocean",
        "Pacific Ocean",
    ]
    values = re.findall(r'<option value="([^"]+)"', select)
    assert values[0] == "UTC" and set(values[1:]) == canonical_time_zones()
    assert (
        '<option value="America/Argentina/Buenos_Aires">Argentina / Buenos Aires</option>' in select
    )


def test_the_browser_zone_is_suggested_only_while_the_default_is_kept(member_client, member):
    html = member_client.get(ME).content.decode()
    assert re.search(r'<select name="time_zone" [^>]*data-browser-time-zone="suggest"', html)
    assert '<option value="UTC" selected>UTC</option>' in html
    assert re.search(r'<script src="/static/js/time-zone\.js" nonce="[^"]+" defer></script>', html)

    Profile.objects.filter(pk=member.profile.pk).update(time_zone="Asia/Tokyo")
    html = member_client.get(ME).content.decode()
    assert "data-browser-time-zone" not in html
    assert '<option value="Asia/Tokyo" selected>Tokyo</option>' in html


def test_a_stored_alias_stays_selectable_but_no_new_alias_is_accepted(member_client, member):
    Profile.objects.filter(pk=member.profile.pk).update(time_zone="Africa/Asmera")
    html = member_client.get(ME).content.decode()
    assert '<option value="Africa/Asmera" selected>Africa/Asmera</option>' in html
    data = {"language": "en", "notification_preference": "daily", "show_organisation": "on"}

    response = member_client.post(ME, {**data, "time_zone": "Africa/Asmera"})
    assert response.status_code == 302
    assert Profile.objects.get(pk=member.profile.pk).time_zone == "Africa/Asmera"

    response = member_client.post(ME, {**data, "time_zone": "Asia/Calcutta"})
    assert response.status_code == 400  # the form again, with its errors
    assert "Select a valid choice. Asia/Calcutta is not one of the available choices." in (
        response.content.decode()
    )
    assert Profile.objects.get(pk=member.profile.pk).time_zone == "Africa/Asmera"
