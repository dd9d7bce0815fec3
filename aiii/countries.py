"""ISO 3166-1 countries and territories: official English short names, UN region, collation.

Shared by every app: the membership's countries, the secretariat's composition by region and the
annual forum's Member State delegations. The stored value is always the ISO 3166-1 alpha-2 code.

Names come from the Unicode CLDR (through Babel), which also has them in the other five UN
languages. CLDR's English uses colloquial forms ("Congo - Kinshasa", "St. Kitts & Nevis",
"Hong Kong SAR China"); where it does, ENGLISH_OFFICIAL gives the short name the UN (M49) and
ISO 3166 use. Lists are sorted by `collation_key`, so accents do not send a name to the end.
"""

import unicodedata
from functools import lru_cache

from babel import Locale
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .widgets import FixedChoices

REGIONS = {
    "africa": _("Africa"),
    "americas": _("Americas"),
    "asia": _("Asia"),
    "europe": _("Europe"),
    "oceania": _("Oceania"),
    "other": _("Other"),
}

# The UN geographic region of each code, for the network's composition.
REGION_OF = {
    "AD": "europe",
    "AE": "asia",
    "AF": "asia",
    "AG": "americas",
    "AI": "americas",
    "AL": "europe",
    "AM": "asia",
    "AO": "africa",
    "AQ": "other",
    "AR": "americas",
    "AS": "oceania",
    "AT": "europe",
    "AU": "oceania",
    "AW": "americas",
    "AX": "europe",
    "AZ": "asia",
    "BA": "europe",
    "BB": "americas",
    "BD": "asia",
    "BE": "europe",
    "BF": "africa",
    "BG": "europe",
    "BH": "asia",
    "BI": "africa",
    "BJ": "africa",
    "BL": "americas",
    "BM": "americas",
    "BN": "asia",
    "BO": "americas",
    "BQ": "americas",
    "BR": "americas",
    "BS": "americas",
    "BT": "asia",
    "BV": "other",
    "BW": "africa",
    "BY": "europe",
    "BZ": "americas",
    "CA": "americas",
    "CC": "oceania",
    "CD": "africa",
    "CF": "africa",
    "CG": "africa",
    "CH": "europe",
    "CI": "africa",
    "CK": "oceania",
    "CL": "americas",
    "CM": "africa",
    "CN": "asia",
    "CO": "americas",
    "CR": "americas",
    "CU": "americas",
    "CV": "africa",
    "CW": "americas",
    "CX": "oceania",
    "CY": "asia",
    "CZ": "europe",
    "DE": "europe",
    "DJ": "africa",
    "DK": "europe",
    "DM": "americas",
    "DO": "americas",
    "DZ": "africa",
    "EC": "americas",
    "EE": "europe",
    "EG": "africa",
    "EH": "africa",
    "ER": "africa",
    "ES": "europe",
    "ET": "africa",
    "FI": "europe",
    "FJ": "oceania",
    "FK": "americas",
    "FM": "oceania",
    "FO": "europe",
    "FR": "europe",
    "GA": "africa",
    "GB": "europe",
    "GD": "americas",
    "GE": "asia",
    "GF": "americas",
    "GG": "europe",
    "GH": "africa",
    "GI": "europe",
    "GL": "americas",
    "GM": "africa",
    "GN": "africa",
    "GP": "americas",
    "GQ": "africa",
    "GR": "europe",
    "GS": "americas",
    "GT": "americas",
    "GU": "oceania",
    "GW": "africa",
    "GY": "americas",
    "HK": "asia",
    "HM": "other",
    "HN": "americas",
    "HR": "europe",
    "HT": "americas",
    "HU": "europe",
    "ID": "asia",
    "IE": "europe",
    "IL": "asia",
    "IM": "europe",
    "IN": "asia",
    "IO": "africa",
    "IQ": "asia",
    "IR": "asia",
    "IS": "europe",
    "IT": "europe",
    "JE": "europe",
    "JM": "americas",
    "JO": "asia",
    "JP": "asia",
    "KE": "africa",
    "KG": "asia",
    "KH": "asia",
    "KI": "oceania",
    "KM": "africa",
    "KN": "americas",
    "KP": "asia",
    "KR": "asia",
    "KW": "asia",
    "KY": "americas",
    "KZ": "asia",
    "LA": "asia",
    "LB": "asia",
    "LC": "americas",
    "LI": "europe",
    "LK": "asia",
    "LR": "africa",
    "LS": "africa",
    "LT": "europe",
    "LU": "europe",
    "LV": "europe",
    "LY": "africa",
    "MA": "africa",
    "MC": "europe",
    "MD": "europe",
    "ME": "europe",
    "MF": "americas",
    "MG": "africa",
    "MH": "oceania",
    "MK": "europe",
    "ML": "africa",
    "MM": "asia",
    "MN": "asia",
    "MO": "asia",
    "MP": "oceania",
    "MQ": "americas",
    "MR": "africa",
    "MS": "americas",
    "MT": "europe",
    "MU": "africa",
    "MV": "asia",
    "MW": "africa",
    "MX": "americas",
    "MY": "asia",
    "MZ": "africa",
    "NA": "africa",
    "NC": "oceania",
    "NE": "africa",
    "NF": "oceania",
    "NG": "africa",
    "NI": "americas",
    "NL": "europe",
    "NO": "europe",
    "NP": "asia",
    "NR": "oceania",
    "NU": "oceania",
    "NZ": "oceania",
    "OM": "asia",
    "PA": "americas",
    "PE": "americas",
    "PF": "oceania",
    "PG": "oceania",
    "PH": "asia",
    "PK": "asia",
    "PL": "europe",
    "PM": "americas",
    "PN": "oceania",
    "PR": "americas",
    "PS": "asia",
    "PT": "europe",
    "PW": "oceania",
    "PY": "americas",
    "QA": "asia",
    "RE": "africa",
    "RO": "europe",
    "RS": "europe",
    "RU": "europe",
    "RW": "africa",
    "SA": "asia",
    "SB": "oceania",
    "SC": "africa",
    "SD": "africa",
    "SE": "europe",
    "SG": "asia",
    "SH": "africa",
    "SI": "europe",
    "SJ": "europe",
    "SK": "europe",
    "SL": "africa",
    "SM": "europe",
    "SN": "africa",
    "SO": "africa",
    "SR": "americas",
    "SS": "africa",
    "ST": "africa",
    "SV": "americas",
    "SX": "americas",
    "SY": "asia",
    "SZ": "africa",
    "TC": "americas",
    "TD": "africa",
    "TF": "other",
    "TG": "africa",
    "TH": "asia",
    "TJ": "asia",
    "TK": "oceania",
    "TL": "asia",
    "TM": "asia",
    "TN": "africa",
    "TO": "oceania",
    "TR": "europe",
    "TT": "americas",
    "TV": "oceania",
    "TW": "asia",
    "TZ": "africa",
    "UA": "europe",
    "UG": "africa",
    "UM": "oceania",
    "US": "americas",
    "UY": "americas",
    "UZ": "asia",
    "VA": "europe",
    "VC": "americas",
    "VE": "americas",
    "VG": "americas",
    "VI": "americas",
    "VN": "asia",
    "VU": "oceania",
    "WF": "oceania",
    "WS": "oceania",
    "YE": "asia",
    "YT": "africa",
    "ZA": "africa",
    "ZM": "africa",
    "ZW": "africa",
}

# The UN / ISO 3166 English short name where CLDR's English has a colloquial one.
ENGLISH_OFFICIAL = {
    "AG": "Antigua and Barbuda",
    "BA": "Bosnia and Herzegovina",
    "BL": "Saint Barthélemy",
    "BN": "Brunei Darussalam",
    "BO": "Bolivia (Plurinational State of)",
    "BQ": "Bonaire, Sint Eustatius and Saba",
    "CD": "Democratic Republic of the Congo",
    "CG": "Congo",
    "CV": "Cabo Verde",
    "FK": "Falkland Islands (Malvinas)",
    "FM": "Micronesia (Federated States of)",
    "GB": "United Kingdom of Great Britain and Northern Ireland",
    "GS": "South Georgia and the South Sandwich Islands",
    "HK": "Hong Kong, China",
    "HM": "Heard Island and McDonald Islands",
    "IR": "Iran (Islamic Republic of)",
    "KN": "Saint Kitts and Nevis",
    "KP": "Democratic People’s Republic of Korea",
    "KR": "Republic of Korea",
    "LA": "Lao People’s Democratic Republic",
    "LC": "Saint Lucia",
    "MD": "Republic of Moldova",
    "MF": "Saint Martin (French part)",
    "MM": "Myanmar",
    "MO": "Macao, China",
    "PM": "Saint Pierre and Miquelon",
    "PN": "Pitcairn",
    "PS": "State of Palestine",
    "RU": "Russian Federation",
    "SH": "Saint Helena, Ascension and Tristan da Cunha",
    "SJ": "Svalbard and Jan Mayen",
    "ST": "São Tomé and Príncipe",
    "SX": "Sint Maarten (Dutch part)",
    "SY": "Syrian Arab Republic",
    "TC": "Turks and Caicos Islands",
    "TF": "French Southern Territories",
    "TT": "Trinidad and Tobago",
    "TW": "Taiwan, Province of China",
    "TZ": "United Republic of Tanzania",
    "UM": "United States Minor Outlying Islands",
    "US": "United States of America",
    "VA": "Holy See",
    "VC": "Saint Vincent and the Grenadines",
    "VE": "Venezuela (Bolivarian Republic of)",
    "VG": "British Virgin Islands",
    "VI": "United States Virgin Islands",
    "VN": "Viet Nam",
    "WF": "Wallis and Futuna",
}


def collation_key(text):
    """A sort key that orders names as a reader expects: accents and case do not count first.

    "Côte d’Ivoire" sorts between "Costa Rica" and "Croatia", "Åland Islands" among the A's.
    Ties (names equal but for accents) fall back to the exact text, so the order is stable.
    """
    decomposed = unicodedata.normalize("NFKD", text)
    base = "".join(char for char in decomposed if not unicodedata.combining(char))
    return (base.casefold(), text)


def _english_names():
    territories = Locale("en").territories
    return {code: ENGLISH_OFFICIAL.get(code, territories[code]) for code in REGION_OF}


# code: (name, region), in collation order of the names.
COUNTRIES = {
    code: (name, REGION_OF[code])
    for code, name in sorted(_english_names().items(), key=lambda item: collation_key(item[1]))
}

COUNTRY_CHOICES = [(code, name) for code, (name, _region) in COUNTRIES.items()]


@lru_cache(maxsize=16)
def _names_in(language):
    """{code: name} in `language`, sorted for that language's readers. English keeps the
    official short names above; the other languages take CLDR's names in that language."""
    if not language or language.startswith("en"):
        return {code: name for code, (name, _region) in COUNTRIES.items()}
    territories = Locale.parse(translation.to_locale(language)).territories
    names = {code: territories.get(code, name) for code, (name, _region) in COUNTRIES.items()}
    return dict(sorted(names.items(), key=lambda item: collation_key(item[1])))


def country_names():
    """{code: name} in the active language, in that language's order."""
    return _names_in(translation.get_language())


@lru_cache(maxsize=16)
def _choices_in(language, blank_label):
    names = _names_in(language)
    blank = [("", blank_label)] if blank_label is not None else []
    return FixedChoices([*blank, *names.items()])


def country_choices(blank=None):
    """Choices for a country select in the active language; a callable, so that a model or
    form field built once shows each reader their own language. `blank`: a first, empty
    choice's label (e.g. "All countries")."""
    language = translation.get_language()
    return _choices_in(language, None if blank is None else str(blank))


def region_of(country_code):
    """The region key of a country code ("" for an unknown or empty code)."""
    entry = COUNTRIES.get(country_code or "")
    return entry[1] if entry else ""


def country_name(country_code):
    """A country's name in the active language ("" for an unknown or empty code)."""
    return country_names().get(country_code or "", "")


def countries_in_region(region):
    return [code for code, (_name, r) in COUNTRIES.items() if r == region]
