"""Every language's catalogue is complete: each message of the code is translated, none is fuzzy,
and msgfmt --check accepts it (placeholders, plural forms, newlines)."""

import io
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings

from aiii.management.commands.catalogues import catalogue_languages

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ("aiii", "members", "meetings", "topics", "annual_forum", "templates", "manage.py")


def catalogue(locale):
    return ROOT / "locale" / locale / "LC_MESSAGES" / "django.po"


def read(path):
    with path.open("rb") as handle:
        return read_po(handle)


def key(message):
    return (message.context, message.id if isinstance(message.id, str) else message.id[0])


@pytest.fixture(scope="module")
def code_messages(tmp_path_factory):
    """The messages the code marks for translation now, extracted from a copy of the sources
    with the project's own command (so the test never writes to the working tree)."""
    copy = tmp_path_factory.mktemp("sources")
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, copy / name)
    (copy / "locale").mkdir()
    subprocess.run(
        [sys.executable, "manage.py", "catalogues", "--locale", "xx", "--keep-pot"],
        cwd=copy,
        env={"PATH": "/usr/bin:/bin", "DEBUG": "1", "PYTHONPATH": str(copy)},
        check=True,
        capture_output=True,
    )
    # A template's header says "nplurals=INTEGER", which babel cannot read: English's forms.
    pot = (copy / "locale" / "django.pot").read_bytes()
    pot = pot.replace(b"nplurals=INTEGER; plural=EXPRESSION;", b"nplurals=2; plural=(n != 1);")
    messages = {key(message) for message in read_po(io.BytesIO(pot)) if message.id}
    assert len(messages) > 500  # the extraction saw the whole portal
    return messages


@pytest.mark.parametrize("locale", catalogue_languages())
def test_catalogue_passes_msgfmt_check(locale):
    result = subprocess.run(
        ["msgfmt", "--check", "-o", "/dev/null", str(catalogue(locale))],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0 and not result.stderr, result.stderr


@pytest.mark.parametrize("locale", catalogue_languages())
def test_catalogue_translates_every_message_of_the_code(locale, code_messages):
    translated = set()
    problems = []
    for message in read(catalogue(locale)):
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy:
            problems.append(f"fuzzy: {message.id!r}")
        elif not all(strings):
            problems.append(f"untranslated: {message.id!r}")
        else:
            translated.add(key(message))
    missing = sorted(str(item) for item in code_messages - translated)
    assert not problems, problems[:20]
    assert not missing, f"{len(missing)} messages of the code lack a translation: {missing[:20]}"


def test_every_language_is_ready_by_default():
    codes = [code for code, _name in settings.LANGUAGES]
    assert sorted(settings.AIII_LANGUAGES_READY) == sorted(codes)
