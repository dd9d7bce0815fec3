"""How the portal writes a moment and a day, in the active language (templates use the
`{% timetag %}` and `{% datetag %}` tags of aiii/templatetags/aiii.py, which call these)."""

from babel import Locale
from babel import dates as babel_dates
from django.utils import dateformat, translation

# One way to show a moment and a day everywhere, the moment in the viewer's time zone (set per
# request from their profile) and named. English pages use ISO-like figures ("2026-11-28 05:37
# UTC"); the other languages their own conventions from Unicode CLDR ("28 nov. 2026, 05:37 UTC").
DATETIME_SHOWN = "Y-m-d H:i T"
DATE_SHOWN = "Y-m-d"


def _cldr_locale():
    """The CLDR locale of the active language, or None for English (ISO-like figures)."""
    language = translation.get_language() or "en"
    if language.startswith("en"):
        return None
    return translation.to_locale(language)


def shown_datetime(local, *, zone=True):
    """A moment already in the zone to show it in; `zone`: its abbreviation after it."""
    locale = _cldr_locale()
    if locale is None:
        return dateformat.format(local, DATETIME_SHOWN if zone else "Y-m-d H:i")
    day = babel_dates.format_date(local.date(), "medium", locale=locale)
    time = babel_dates.format_time(local.time(), "short", locale=locale)
    # The language's own way of joining a date and a time ("{1}, {0}", "{1} {0}", …).
    joined = Locale.parse(locale).datetime_formats["medium"].format(time, day)
    return f"{joined} {dateformat.format(local, 'T')}" if zone else joined


def shown_date(day):
    locale = _cldr_locale()
    if locale is None:
        return dateformat.format(day, DATE_SHOWN)
    return babel_dates.format_date(day, "medium", locale=locale)
