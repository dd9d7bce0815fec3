"""Every page type in each of the six languages: `lang` and `dir` right, and no English left.

Each route of the access tables (tests/<app>/access_table.py) that some role opens (200), and the
pages outside them (home, about, sign-in, account pages), is rendered in English and in each
other language. A text of the page that stays the same in another language is a string nobody
translated, unless it is data: a name, a title, an address stored in the database.
"""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.apps import apps
from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import translation

from aiii.countries import country_names
from aiii.time_zones import zone_labels
from members.models import Invitation
from tests.access_table import ROLES, client_for, combined_table

pytestmark = pytest.mark.django_db

CATALOGUES = Path(__file__).resolve().parent.parent / "locale"
LANGUAGES = [code for code, _name in settings.LANGUAGES if code != "en"]
# Names the portal does not translate (see locale/GLOSSARY.md), and the formats' own codes.
UNTRANSLATED = {
    "AIII", "AIII Exchange", "TOTP", "CSV", "PDF", "UTC", "ISO", "TEN", "GEG", "Markdown",
    "iCalendar", "Chatham House", "WebAuthn", "OpenAPI", "Atom", "JSON", "API", "SHA-256",
    "https", "bytes",
}  # fmt: skip
WORD = re.compile(r"[A-Za-z]{3,}")
# Where a role opens each route: the first in this order that gets the page.
PREFERRED = ("member", "secretariat", "delegate", "applicant", "anonymous")
EXTRA_PAGES = [
    ("anonymous", "/"),
    ("anonymous", "/about/"),
    ("anonymous", "/accounts/login/"),
    ("anonymous", "/accounts/password/reset/"),
    ("member", "/"),
    ("secretariat", "/"),
    ("applicant", "/"),
    ("delegate", "/"),
    ("member", "/accounts/email/"),
    ("member", "/accounts/password/change/"),
    ("member", "/accounts/2fa/"),
]


class Texts(HTMLParser):
    """The texts a reader meets: text nodes and the attributes read out (aria-label, title,
    alt, placeholder, a button's value), leaving out scripts, styles and any part written in
    another language on purpose (e.g. the language switcher's choices)."""

    SKIPPED = {"script", "style", "textarea"}  # a textarea holds data being edited
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
            "track", "wbr"}  # fmt: skip

    def __init__(self, page_language):
        super().__init__()
        self.page_language = page_language
        self.stack = []
        self.texts = []

    def _skipping(self):
        return any(skip for _tag, skip in self.stack)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        foreign = "lang" in attrs and attrs["lang"] != self.page_language
        skip = tag in self.SKIPPED or foreign
        if not self._skipping() and not skip:
            for name in ("aria-label", "title", "alt", "placeholder"):
                if attrs.get(name):
                    self.texts.append(attrs[name])
            if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
                self.texts.append(attrs["value"])
        if tag not in self.VOID:
            self.stack.append((tag, skip))

    def handle_endtag(self, tag):
        while self.stack:
            open_tag, _skip = self.stack.pop()
            if open_tag == tag:
                break

    def handle_data(self, data):
        if not self._skipping() and data.strip():
            self.texts.append(data)


def texts_of(page, language):
    parser = Texts(language)
    parser.feed(page)
    return {" ".join(text.split()) for text in parser.texts}


def database_texts():
    """What the database holds: every short text whole (names, titles, addresses), and the
    words of the long ones (Markdown sources, shown in pieces once rendered). Not what the
    portal itself translates though it is stored: Member States (CLDR names by their code), the
    seeded areas of expertise and the seeded topics' descriptions."""
    from annual_forum.models import Delegation
    from members.models import SEEDED_AREA_NAMES
    from topics.models import Topic

    translated = set(SEEDED_AREA_NAMES.values()) | set(
        Delegation.objects.filter(kind=Delegation.Kind.MEMBER_STATE).values_list("name", flat=True)
    )
    whole, words = set(), set()
    for model in apps.get_models():
        fields = [
            field
            for field in model._meta.concrete_fields
            if isinstance(field, (models.CharField, models.TextField))
            and not (model is Topic and field.name == "description")
        ]
        if not fields:
            continue
        for row in model._default_manager.values_list(*(field.attname for field in fields)):
            for field, value in zip(fields, row, strict=True):
                if not isinstance(value, str):
                    continue
                if isinstance(field, models.TextField):
                    words.update(WORD.findall(value))
                else:
                    whole.add(" ".join(value.split()))
    whole -= translated | {""}
    return sorted(whole, key=len, reverse=True), words


def same_in(language):
    """The words of the messages a translator rendered exactly as in English ("Date", "Format"
    and "Documents" in French): translated, though they read the same."""
    path = CATALOGUES / translation.to_locale(language) / "LC_MESSAGES" / "django.po"
    with path.open("rb") as handle:
        catalogue = read_po(handle)
    words = set()
    for message in catalogue:
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        if message.id and any(string in ids for string in strings):
            words.update(WORD.findall(" ".join(ids)))
    return words


def english_left(text, data, allowed_words):
    """The English words of `text` once data and names that stay untranslated are taken out."""
    for value in [*data, *sorted(UNTRANSLATED, key=len, reverse=True)]:
        if value in text:  # whole words only: "Ann" is not taken out of "Annual"
            text = re.sub(rf"(?<!\w){re.escape(value)}(?!\w)", " ", text)
    return [word for word in WORD.findall(text) if word not in allowed_words]


def cldr_names(language):
    """Country and time-zone names as Unicode CLDR writes them in `language` ("Zurich" is
    French as well as English): localised, though some read the same as in English."""
    with translation.override(language):
        return set(country_names().values()) | set(zone_labels(language).values())


def pages(world):
    """(role, url) for every page type: each route once, as the first role that opens it."""
    from tests.access_table import outcome

    found = list(EXTRA_PAGES)
    for name, (build_kwargs, expected) in sorted(combined_table().items()):
        roles = [role for role in PREFERRED if expected.get(role) == 200]
        if roles:
            url = reverse(name, kwargs=build_kwargs(world) if build_kwargs else None)
            found.append((roles[0], url))
    assert outcome  # (imported for the access table's vocabulary)
    return found


def render(world, role, url, language):
    user = world["users"].get(role)
    profile = getattr(user, "profile", None) if user is not None else None
    if profile is not None:
        type(profile).objects.filter(pk=profile.pk).update(language=language)
    # An invitation's page speaks the language the secretariat wrote the invitation in.
    Invitation.objects.update(language=language)
    client = client_for(world, role)
    response = client.get(url, headers={"accept-language": language})
    assert response.status_code == 200, (role, url, language, response.status_code)
    if not response["Content-Type"].startswith("text/html"):
        return None  # a feed, a calendar file, a download: not a page
    return response.content.decode()


def test_every_page_type_is_translated_in_every_language(world, settings):
    assert sorted(ROLES) == sorted(PREFERRED + ("suspended",))
    every = pages(world)
    assert len(every) > 60
    data, data_words = database_texts()
    data.append(settings.AIII_CONTACT_EMAIL)
    cldr = {language: cldr_names(language) for language in LANGUAGES}
    allowed = {language: data_words | same_in(language) for language in LANGUAGES}
    untranslated = {}
    for role, url in every:
        # The other languages first: a cache that keeps the first language it saw shows here.
        rendered = {language: render(world, role, url, language) for language in LANGUAGES}
        english = render(world, role, url, "en")
        if english is None:
            continue
        assert re.search(r'<html lang="en" dir="ltr">', english)
        english_texts = texts_of(english, "en")
        for language in LANGUAGES:
            page = rendered[language]
            direction = "rtl" if language == "ar" else "ltr"
            assert f'<html lang="{language}" dir="{direction}">' in page, (url, language)
            for text in texts_of(page, language) & english_texts:
                named = text.strip(" :·,") in cldr[language]  # e.g. "France: " before a title
                if not named and english_left(text, data, allowed[language]):
                    untranslated.setdefault(text, set()).add(f"{language} {role} {url}")
    report = [f"{text!r}: {sorted(where)[:3]}" for text, where in sorted(untranslated.items())]
    assert not report, f"{len(report)} texts left in English:\n" + "\n".join(report[:80])
