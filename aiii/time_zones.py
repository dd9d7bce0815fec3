"""The time zones a person may choose: IANA's canonical zones, grouped by region.

The list is tzdata's zone.tab (one zone per country and region, current names only), so
deprecated aliases such as Africa/Asmera or Asia/Calcutta are not offered. Stored values are
IANA names, as before; a profile that still holds an alias keeps it (see `time_zone_choices`).
"""

import zoneinfo
from functools import lru_cache
from importlib import resources

from babel import Locale
from babel.dates import get_timezone_location
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .countries import collation_key
from .widgets import FixedChoices

DEFAULT_TIME_ZONE = "UTC"

REGION_LABELS = {
    "Africa": _("Africa"),
    "America": _("Americas"),
    "Antarctica": _("Antarctica"),
    "Arctic": _("Arctic"),
    "Asia": _("Asia"),
    "Atlantic": _("Atlantic Ocean"),
    "Australia": _("Australia"),
    "Europe": _("Europe"),
    "Indian": _("Indian Ocean"),
    "Pacific": _("Pacific Ocean"),
}


@lru_cache(maxsize=1)
def canonical_time_zones():
    """The IANA names listed in tzdata's zone.tab that this Python can load."""
    table = resources.files("tzdata").joinpath("zoneinfo", "zone.tab").read_text("ascii")
    listed = {
        line.split("\t")[2]
        for line in table.splitlines()
        if line.strip() and not line.startswith("#")
    }
    return frozenset(listed & zoneinfo.available_timezones())


def zone_label(name, language=None):
    """A zone's name for a reader of `language` (the region is the group): English
    "America/Argentina/Buenos_Aires" → "Argentina / Buenos Aires"; in the other languages the
    city as CLDR writes it ("Буэнос-Айрес", "布宜诺斯艾利斯")."""
    if language and not language.startswith("en"):
        locale = Locale.parse(translation.to_locale(language))
        return get_timezone_location(name, locale=locale, return_city=True)
    _region, _slash, place = name.partition("/")
    return (place or name).replace("_", " ").replace("/", " / ")


@lru_cache(maxsize=16)
def _grouped_choices(language):
    groups = {}
    for name in canonical_time_zones():
        groups.setdefault(name.partition("/")[0], []).append((name, zone_label(name, language)))
    # Regions in the order of their names in this language.
    regions = sorted(
        groups.items(), key=lambda item: collation_key(str(REGION_LABELS.get(item[0], item[0])))
    )
    return FixedChoices(
        [
            (DEFAULT_TIME_ZONE, DEFAULT_TIME_ZONE),
            *(
                (
                    str(REGION_LABELS.get(region, region)),
                    sorted(zones, key=lambda z: collation_key(z[1])),
                )
                for region, zones in regions
            ),
        ]
    )


def zone_labels(language):
    """{IANA name: label} of every zone offered, in `language`."""
    return {
        value: label
        for _group, zones in list(_grouped_choices(language))[1:]
        for value, label in zones
    }


def time_zone_choices(current=None):
    """Choices for a time-zone select: UTC, then each region's zones as an optgroup.

    `current` is the value already stored: when it is a valid IANA name that is no longer
    offered (an alias such as Africa/Asmera), it stays selectable so saving the form does not
    fail or silently change it.
    """
    choices = _grouped_choices(translation.get_language())
    if (
        current
        and current != DEFAULT_TIME_ZONE
        and current not in canonical_time_zones()
        and current in zoneinfo.available_timezones()
    ):
        return FixedChoices([*choices, (current, current.replace("_", " "))])
    return choices
