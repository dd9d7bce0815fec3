"""Reads about people: the network's composition, the directory, the secretariat's members list
and the CSV export. Views and other apps read members through these functions only."""

from __future__ import annotations

from collections.abc import Iterator

from django.contrib.auth.models import AbstractBaseUser as User
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from aiii.charts import bar_rows
from aiii.countries import REGIONS, countries_in_region, country_name, region_of
from aiii.models import AuditEntry

from ..models import MembershipApplication, Profile, StakeholderGroup


def network_composition() -> dict:
    """Active members counted by stakeholder group and by region, in two queries.

    Returns {"total": n, "groups": [row, ...], "regions": [row, ...]}; each row has key, label,
    count, percent and width (aiii.charts.bar_rows).
    """
    active = Profile.objects.filter(status=Profile.Status.ACTIVE)
    by_group = {
        row["stakeholder_group"]: row["n"]
        for row in active.order_by().values("stakeholder_group").annotate(n=Count("pk"))
    }
    by_region = {}
    for row in active.order_by().values("country").annotate(n=Count("pk")):
        region = region_of(row["country"]) or "other"
        by_region[region] = by_region.get(region, 0) + row["n"]
    group_labels = list(StakeholderGroup.choices)
    if by_group.get(""):
        # Members who never gave a group are shown rather than silently dropped.
        group_labels.append(("", _("Not given")))
    groups = bar_rows(by_group, group_labels)
    regions = bar_rows(by_region, list(REGIONS.items()))
    return {
        "total": sum(by_group.values()),
        "groups": groups,
        "regions": regions,
    }


# --- the directory (members and the secretariat) -----------------------------------------------


def _search_name(profiles, query):
    for word in query.split():
        profiles = profiles.filter(full_name__icontains=word)
    return profiles


def profiles_visible_to(user: User) -> QuerySet[Profile]:
    """The directory's people: active members, for active members and the secretariat."""
    return Profile.objects.visible_to(user).filter(status=Profile.Status.ACTIVE)


def directory_profiles(*, user: User, filters: dict | None = None) -> QuerySet[Profile]:
    """The directory: active members, name order, narrowed only by what each member shows.

    A member who hides their country is not found by a country filter either, or the filter
    would reveal what they chose to hide.
    """
    filters = filters or {}
    profiles = profiles_visible_to(user).prefetch_related("expertise").order_by("full_name", "pk")
    if filters.get("q"):
        profiles = _search_name(profiles, filters["q"])
    if filters.get("stakeholder_group"):
        profiles = profiles.filter(
            stakeholder_group=filters["stakeholder_group"], show_stakeholder_group=True
        )
    if filters.get("country"):
        profiles = profiles.filter(country=filters["country"], show_country=True)
    if filters.get("expertise"):
        profiles = profiles.filter(expertise=filters["expertise"], show_expertise=True)
    return profiles.select_related("user")


def public_view(profile: Profile) -> dict:
    """What other members may see of `profile`: the name always, the rest as the member chose.

    Every template that shows a member to another member reads this, never the profile itself.
    """
    view = {"pk": profile.pk, "full_name": profile.full_name, "url": profile.get_absolute_url()}
    if profile.show_email:
        view["email"] = profile.user.email
    if profile.show_organisation and profile.organisation:
        view["organisation"] = profile.organisation
    if profile.show_stakeholder_group and profile.stakeholder_group:
        view["stakeholder_group"] = profile.get_stakeholder_group_display()
    if profile.show_country and profile.country:
        view["country"] = country_name(profile.country)
    if profile.show_expertise:
        view["expertise"] = [area.label for area in profile.expertise.all()]
    if profile.show_bio and profile.bio:
        view["bio"] = profile.bio
    if profile.show_profile_url and profile.public_profile_url:
        view["public_profile_url"] = profile.public_profile_url
    if profile.member_since:
        view["member_since"] = profile.member_since
    return view


# --- the secretariat's members list, member page and export -------------------------------------

MEMBER_STATUSES = (Profile.Status.ACTIVE, Profile.Status.SUSPENDED)


def secretariat_members(*, filters: dict | None = None) -> QuerySet[Profile]:
    """Members, active and suspended, for the secretariat: filters status, group, country and
    region; search by name, organisation or email."""
    filters = filters or {}
    profiles = Profile.objects.filter(status__in=MEMBER_STATUSES)
    if filters.get("status"):
        profiles = profiles.filter(status=filters["status"])
    if filters.get("stakeholder_group"):
        profiles = profiles.filter(stakeholder_group=filters["stakeholder_group"])
    if filters.get("country"):
        profiles = profiles.filter(country=filters["country"])
    if filters.get("region"):
        profiles = profiles.filter(country__in=countries_in_region(filters["region"]))
    for word in (filters.get("q") or "").split():
        profiles = profiles.filter(
            Q(full_name__icontains=word)
            | Q(organisation__icontains=word)
            | Q(user__email__icontains=word)
        )
    return profiles.select_related("user").order_by("full_name", "pk")


def secretariat_member_details() -> QuerySet[Profile]:
    """Members (active or suspended) with what the secretariat's member page shows; the view
    narrows it to what the viewer may see (`get_visible_or_404`)."""
    return (
        Profile.objects.filter(status__in=MEMBER_STATUSES)
        .select_related("user")
        .prefetch_related("expertise")
    )


def member_audit_history(*, profile: Profile) -> QuerySet[AuditEntry]:
    """Audit entries about the member, newest first: their profile and their membership
    application (paginated by the page: the whole history stays reachable)."""
    about = Q(target_type=Profile._meta.label_lower, target_id=str(profile.pk))
    application_id = (
        MembershipApplication.objects.filter(user_id=profile.user_id)
        .values_list("pk", flat=True)
        .first()
    )
    if application_id is not None:
        about |= Q(
            target_type=MembershipApplication._meta.label_lower, target_id=str(application_id)
        )
    return AuditEntry.objects.filter(about).order_by("-created_at", "-pk")


def application_counts() -> list[dict]:
    """Applications by state for the dashboard, every state listed, in one query."""
    counts = {
        row["status"]: row["n"]
        for row in MembershipApplication.objects.order_by().values("status").annotate(n=Count("pk"))
    }
    return [
        {"status": value, "label": label, "count": counts.get(value, 0)}
        for value, label in MembershipApplication.Status.choices
    ]


EXPORT_HEADER = (
    _("Name"),
    _("Email"),
    _("Organisation"),
    _("Stakeholder group"),
    _("Country"),
    _("Region"),
    _("Areas of expertise"),
    _("Status"),
    _("Member since"),
)


def export_rows(*, filters: dict | None = None) -> Iterator[list[str]]:
    """The rows of the members CSV (header first), as a generator: two queries in all, however
    many members, so a large export streams without holding every profile in memory."""
    profiles = secretariat_members(filters=filters)
    through = Profile.expertise.through
    expertise = {}
    pairs = (
        through.objects.filter(profile__in=profiles.values("pk"))
        .order_by("expertisearea__position", "expertisearea__name")
        .values_list("profile_id", "expertisearea__name")
    )
    for profile_id, name in pairs:
        expertise.setdefault(profile_id, []).append(name)
    groups = dict(StakeholderGroup.choices)
    statuses = dict(Profile.Status.choices)
    yield [str(label) for label in EXPORT_HEADER]
    columns = (
        "pk",
        "full_name",
        "user__email",
        "organisation",
        "stakeholder_group",
        "country",
        "status",
        "member_since",
    )
    for pk, name, email, organisation, group, country, status, since in profiles.values_list(
        *columns
    ).iterator(chunk_size=2000):
        yield [
            name,
            email,
            organisation,
            str(groups.get(group, group)),
            country_name(country),
            str(REGIONS.get(region_of(country), "")),
            "; ".join(expertise.get(pk, [])),
            str(statuses.get(status, status)),
            since.date().isoformat() if since else "",
        ]
