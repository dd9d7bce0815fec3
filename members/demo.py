"""Demo people for `manage.py seed_demo` (see aiii/management/commands/seed_demo.py).

The accounts of DESIGN.md's stable contract (secretariat, alice, bob, carol), a small varied
network with a few applications in the queue, and for `--size large` at least 5,000 more members
made with bulk inserts. Idempotent: what exists is left as it is, what is missing is added.
Everyone's password is DEMO_PASSWORD.
"""

import random
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.utils import timezone

from aiii.audit import audit_record
from aiii.countries import COUNTRIES
from aiii.permissions import MEMBER_GROUP, SECRETARIAT_GROUP

from .models import (
    ApplicationEvent,
    ExpertiseArea,
    MembershipApplication,
    NotificationPreference,
    Profile,
    StakeholderGroup,
)

DEMO_PASSWORD = "aiii-demo-2026"
LARGE_MEMBERS = 5000
LARGE_DOMAIN = "large.example.org"
BATCH = 1000

G = StakeholderGroup

# email | name | organisation | stakeholder group | country | expertise slugs
MEMBERS_TABLE = """
alice@example.org | Alice Moreau | Provenance Research Institute | academia | FR | watermarking-provenance identifying-ai-outputs
bob@example.org | Bob Okafor | Lagos Creative Collective | creator | NG | human-ai-contributions
hiroshi.tanaka@example.org | Hiroshi Tanaka | Kumo AI | ai_developer | JP | identifying-ai-outputs standards-tools
maria.gonzalez@example.org | María González | Instituto de Propiedad Intelectual | other | MX | ip-office-practice
li.wei@example.org | Li Wei | Beijing Institute of Media Technology | academia | CN | watermarking-provenance
sophie.muller@example.org | Sophie Müller | Verlagshaus Nord | rightsholder | DE | human-ai-contributions ip-office-practice
ahmed.hassan@example.org | Ahmed Hassan | Cairo Digital Rights Forum | civil_society | EG | human-ai-contributions
olga.ivanova@example.org | Olga Ivanova | Open Standards Lab | tech_company | KZ | standards-tools
james.smith@example.org | James Smith | Sound Rights Ltd | rightsholder | GB | identifying-ai-outputs
ana.silva@example.org | Ana Silva | Universidade de São Paulo | academia | BR | identifying-ai-outputs human-ai-contributions
priya.raman@example.org | Priya Raman | Vidya Models | ai_developer | IN | watermarking-provenance standards-tools
kofi.mensah@example.org | Kofi Mensah | Accra Music Guild | creator | GH | human-ai-contributions
emma.wilson@example.org | Emma Wilson | Southern Cross Media | rightsholder | AU | ip-office-practice
lucas.martin@example.org | Lucas Martin | Montréal Photo Cooperative | creator | CA | watermarking-provenance
fatima.benali@example.org | Fatima Zahra Benali | Maghreb Tech | tech_company | MA | standards-tools identifying-ai-outputs
noah.keller@example.org | Noah Keller | Swiss Digital Society | civil_society | CH | human-ai-contributions
mele.tupou@example.org | Mele Tupou | Pacific Archives Network | other | FJ | ip-office-practice
daniel.cohen@example.org | Daniel Cohen | Aleph Vision | ai_developer | IL | identifying-ai-outputs
viktor.sokolov@example.org | Viktor Sokolov | Northern Lights Studio | creator | FI | human-ai-contributions
"""
SUSPENDED_EMAIL = "viktor.sokolov@example.org"

# Choices beyond the defaults, so the directory shows members who hide things.
PROFILE_EXTRAS = {
    "alice@example.org": {
        "bio": "I study how provenance metadata survives editing and re-encoding.",
        "public_profile_url": "https://example.org/alice",
        "show_email": True,
        "time_zone": "Europe/Paris",
    },
    "bob@example.org": {
        "bio": "Illustrator and organiser of a collective of visual artists.",
        "show_organisation": False,
        "time_zone": "Africa/Lagos",
        "notification_preference": NotificationPreference.WEEKLY,
    },
    "hiroshi.tanaka@example.org": {"time_zone": "Asia/Tokyo"},
    "maria.gonzalez@example.org": {"language": "es", "time_zone": "America/Mexico_City"},
    "ahmed.hassan@example.org": {"language": "ar", "time_zone": "Africa/Cairo"},
    "olga.ivanova@example.org": {"language": "ru", "show_country": False},
    "kofi.mensah@example.org": {"show_expertise": False},
    "daniel.cohen@example.org": {"show_organisation": False},
}

# email | name | organisation | stakeholder group | country | expertise slugs | status | statement
APPLICATIONS_TABLE = """
carol@example.org | Carol Nguyen | Saigon Animation House | creator | VN | human-ai-contributions | pending | I direct animated films and want to understand how AI contributions can be disclosed.
diego.rojas@example.org | Diego Rojas | Andes Data Cooperative | civil_society | CL | identifying-ai-outputs | pending | We audit synthetic media in election campaigns.
amara.diallo@example.org | Amara Diallo | Université Cheikh Anta Diop | academia | SN | ip-office-practice human-ai-contributions | pending | My research compares how IP offices treat AI-assisted inventions.
jonas.berg@example.org | Jonas Berg | Fjord Tech | tech_company | NO | watermarking-provenance | info_requested | We build image provenance tooling.
sara.lind@example.org | Sara Lind | Independent | creator | SE | human-ai-contributions | pending | Composer working with generative tools in my own practice.
"""


def _table(text):
    rows = []
    for line in text.strip().splitlines():
        cells = [cell.strip() for cell in line.split("|")]
        cells[5] = cells[5].split()
        rows.append(cells)
    return rows


FIRST_NAMES = (
    "Aisha Akira Alejandro Amina Andrei Anjali Bao Carlos Chen Chloé Dmitri Elif Emeka Fatou "
    "Giulia Hana Ibrahim Ines Jin Kai Kemal Laila Lars Lucía Malik Mei Mateo Nadia Nikolai Noor "
    "Olu Pablo Rania Ravi Rosa Sakura Samir Sofia Tariq Thandiwe Tomás Uma Valentina Wanjiru Xin "
    "Yara Yusuf Zanele Zhang Zoe"
).split()
LAST_NAMES = (
    "Abdullah Adeyemi Almeida Andersson Banda Bauer Chatterjee Costa Dubois Eze Fernández "
    "Fischer García Haddad Ivanov Jensen Kamau Kim Kowalski Kuznetsova Lee López Mahlangu Mendes "
    "Moreno Müller Nakamura Ndiaye Nguyen Novak Okeke Olsen Park Patel Petrov Rossi Said Santos "
    "Sato Schmidt Singh Suzuki Takahashi Tan Traoré Wang Yilmaz Zhou Zulu"
).split()
ORGANISATION_KINDS = {
    G.TECH_COMPANY: ["Systems", "Technologies", "Digital", "Labs"],
    G.AI_DEVELOPER: ["AI", "Models", "Intelligence", "Machine Learning"],
    G.RIGHTSHOLDER: ["Publishing", "Records", "Pictures", "Rights Society"],
    G.CREATOR: ["Studio", "Atelier", "Collective", "Workshop"],
    G.ACADEMIA: ["University", "Institute", "Research Centre", "School of Law"],
    G.CIVIL_SOCIETY: ["Foundation", "Forum", "Alliance", "Observatory"],
    G.OTHER: ["Office", "Agency", "Consultancy", "Archive"],
}
GROUP_WEIGHTS = {
    G.TECH_COMPANY: 14,
    G.AI_DEVELOPER: 16,
    G.RIGHTSHOLDER: 18,
    G.CREATOR: 17,
    G.ACADEMIA: 18,
    G.CIVIL_SOCIETY: 12,
    G.OTHER: 5,
}
# Countries that are not territories without people ("other" region).
PEOPLED_COUNTRIES = sorted(code for code, (_n, region) in COUNTRIES.items() if region != "other")


def seed(*, size, log):
    password = make_password(DEMO_PASSWORD)
    groups = {
        name: Group.objects.get_or_create(name=name)[0]
        for name in (SECRETARIAT_GROUP, MEMBER_GROUP)
    }
    areas = {area.slug: area for area in ExpertiseArea.objects.all()}
    secretariat = _seed_secretariat(password, groups, log)
    _seed_members(password, groups, areas, secretariat, log)
    _seed_applications(password, areas, log)
    if size == "large":
        _seed_large(password, groups, areas, log)


def _account(email, password):
    """The user with `email` and a verified primary address; created if missing."""
    User = get_user_model()
    user = User.objects.filter(email__iexact=email).first()
    created = user is None
    if created:
        user = User.objects.create(username=email, email=email, password=password)
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user, created


def _seed_secretariat(password, groups, log):
    user, created = _account("secretariat@example.org", password)
    user.groups.add(groups[SECRETARIAT_GROUP])
    Profile.objects.get_or_create(
        user=user,
        defaults={
            "full_name": "AIII Secretariat",
            "organisation": "AIII Secretariat",
            "status": Profile.Status.NONE,
        },
    )
    log("secretariat@example.org " + ("created" if created else "already there"))
    return user


def _member_profile(user, row, areas, status, since):
    email, name, organisation, group, country, slugs = row
    profile, created = Profile.objects.get_or_create(
        user=user,
        defaults={
            "full_name": name,
            "organisation": organisation,
            "stakeholder_group": group,
            "country": country,
            "status": status,
            "member_since": since,
            **PROFILE_EXTRAS.get(email, {}),
        },
    )
    if created:
        profile.expertise.set([areas[slug] for slug in slugs if slug in areas])
    return profile, created


def _seed_members(password, groups, areas, secretariat, log):
    now = timezone.now()
    added = 0
    rows = _table(MEMBERS_TABLE)
    for index, row in enumerate(rows):
        suspended = row[0] == SUSPENDED_EMAIL
        user, _created = _account(row[0], password)
        user.groups.add(groups[MEMBER_GROUP])
        profile, created = _member_profile(
            user,
            row,
            areas,
            Profile.Status.SUSPENDED if suspended else Profile.Status.ACTIVE,
            now - timedelta(days=30 + 17 * index),
        )
        added += created
        if created and suspended:
            get_user_model().objects.filter(pk=user.pk).update(is_active=False)
            audit_record(
                actor=secretariat,
                action="membership.suspend",
                target=profile,
                reason="Demo: shared meeting minutes outside the network.",
            )
    log(f"{len(rows)} members (alice, bob and others; one suspended), {added} new")


def _seed_applications(password, areas, log):
    now = timezone.now()
    added = 0
    rows = _table(APPLICATIONS_TABLE)
    for index, (email, name, organisation, group, country, slugs, status, statement) in enumerate(
        rows
    ):
        user, _created = _account(email, password)
        Profile.objects.get_or_create(
            user=user,
            defaults={
                "full_name": name,
                "organisation": organisation,
                "stakeholder_group": group,
                "country": country,
                "status": Profile.Status.APPLICANT,
            },
        )
        submitted = now - timedelta(days=2 + 3 * index)
        application, created = MembershipApplication.objects.get_or_create(
            user=user,
            defaults={
                "status": status,
                "full_name": name,
                "email": email,
                "organisation": organisation,
                "stakeholder_group": group,
                "country": country,
                "statement": statement,
                "declaration_of_interests": "No interests to declare.",
                "accepted_code_of_conduct_at": submitted,
                "accepted_confidentiality_at": submitted,
                "submitted_at": submitted,
            },
        )
        if not created:
            continue
        added += 1
        application.expertise.set([areas[slug] for slug in slugs if slug in areas])
        events = [
            ApplicationEvent(application=application, kind=ApplicationEvent.Kind.SUBMITTED),
            ApplicationEvent(application=application, kind=ApplicationEvent.Kind.VERIFIED),
        ]
        if status == MembershipApplication.Status.INFO_REQUESTED:
            events.append(
                ApplicationEvent(
                    application=application,
                    kind=ApplicationEvent.Kind.INFO_REQUESTED,
                    message="Please say which provenance standards your tooling supports.",
                )
            )
        ApplicationEvent.objects.bulk_create(events)
    log(f"{len(rows)} applications (carol and others), {added} new")


# --- the large data set ---------------------------------------------------------------------


def _large_email(number):
    return f"member{number:05d}@{LARGE_DOMAIN}"


def _large_person(number, area_ids):
    """A member's details, derived from their number only, so a rerun fills gaps identically."""
    rng = random.Random(number)
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    group = rng.choices(list(GROUP_WEIGHTS), list(GROUP_WEIGHTS.values()))[0]
    organisation = f"{rng.choice(LAST_NAMES)} {rng.choice(ORGANISATION_KINDS[group])}"
    return {
        "full_name": f"{first} {last}",
        "organisation": organisation,
        "stakeholder_group": group,
        "country": rng.choice(PEOPLED_COUNTRIES),
        "days": rng.randint(1, 3 * 365),
        "show_email": rng.random() < 0.3,
        "show_country": rng.random() < 0.9,
        "expertise": rng.sample(area_ids, rng.randint(1, min(3, len(area_ids))))
        if area_ids
        else [],
    }


def _seed_large(password, groups, areas, log):
    User = get_user_model()
    existing = set(
        User.objects.filter(email__endswith=f"@{LARGE_DOMAIN}").values_list("email", flat=True)
    )
    missing = [n for n in range(1, LARGE_MEMBERS + 1) if _large_email(n) not in existing]
    if not missing:
        log(f"{LARGE_MEMBERS} large-set members already there")
        return
    area_ids = sorted(area.pk for area in areas.values())
    member_group = groups[MEMBER_GROUP]
    now = timezone.now()
    UserGroup = User.groups.through
    ProfileExpertise = Profile.expertise.through
    for start in range(0, len(missing), BATCH):
        numbers = missing[start : start + BATCH]
        people = {_large_email(n): _large_person(n, area_ids) for n in numbers}
        User.objects.bulk_create(
            [User(username=email, email=email, password=password) for email in people]
        )
        user_ids = dict(User.objects.filter(email__in=list(people)).values_list("email", "pk"))
        EmailAddress.objects.bulk_create(
            [
                EmailAddress(user_id=user_ids[email], email=email, verified=True, primary=True)
                for email in people
            ]
        )
        UserGroup.objects.bulk_create(
            [UserGroup(user_id=user_ids[email], group_id=member_group.pk) for email in people]
        )
        Profile.objects.bulk_create(
            [
                Profile(
                    user_id=user_ids[email],
                    full_name=person["full_name"],
                    organisation=person["organisation"],
                    stakeholder_group=person["stakeholder_group"],
                    country=person["country"],
                    status=Profile.Status.ACTIVE,
                    member_since=now - timedelta(days=person["days"]),
                    show_email=person["show_email"],
                    show_country=person["show_country"],
                )
                for email, person in people.items()
            ]
        )
        profile_ids = dict(
            Profile.objects.filter(user_id__in=user_ids.values()).values_list("user_id", "pk")
        )
        ProfileExpertise.objects.bulk_create(
            [
                ProfileExpertise(profile_id=profile_ids[user_ids[email]], expertisearea_id=area)
                for email, person in people.items()
                for area in person["expertise"]
            ]
        )
        log(f"large set: {start + len(numbers)} of {len(missing)} members added")
