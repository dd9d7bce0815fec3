"""`python manage.py catalogues`: bring every language's catalogue up to date with the code.

Django's makemessages with the project's settings: the portal's own sources only (not the
virtualenv, the tests or var/), no source locations (so a moved line is not a diff), and no
fuzzy matching (a changed English text comes back untranslated, never as a guess that looks
done). Then translate what is new (see locale/GLOSSARY.md) and compile with `make`.
"""

from django.conf import settings
from django.core.management.commands import makemessages
from django.utils.translation import to_locale

IGNORED = [".venv*", "var", "tests", "node_modules", "static/*"]


def catalogue_languages():
    """The locale names of the translated catalogues: every language but the source one."""
    return [to_locale(code) for code, _name in settings.LANGUAGES if code != "en"]


class Command(makemessages.Command):
    help = "Update locale/*/LC_MESSAGES/django.po from the code (no locations, no fuzzy guesses)."
    msgmerge_options = [*makemessages.Command.msgmerge_options, "--no-fuzzy-matching"]

    def handle(self, *args, **options):
        if not options["locale"] and not options["all"] and not options["exclude"]:
            options["locale"] = catalogue_languages()
        options["ignore_patterns"] = [*options["ignore_patterns"], *IGNORED]
        options["no_location"] = True
        options.setdefault("domain", "django")
        return super().handle(*args, **options)
