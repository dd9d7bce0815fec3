"""The secretariat keeps the list of topics: add (the area of expertise and its topic
together), rename, describe, order, hide."""

from django.contrib.auth.models import AbstractBaseUser as User
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from aiii.audit import audit_record
from aiii.errors import ServiceError
from aiii.state import locked
from members.models import ExpertiseArea

from ..models import Topic


def _clean_name(name):
    name = " ".join((name or "").split())
    if not name:
        raise ServiceError(_("A topic needs a name."))
    return name[:120]


def topic_add(
    *, by: User, name: str, description: str = "", position: int | None = None, hidden: bool = False
) -> Topic:
    """A new topic: its area of expertise (members choose it on their profile too) and the
    topic's own details, in one transaction."""
    name = _clean_name(name)
    slug = slugify(name)[:50] or "topic"
    with transaction.atomic():
        if ExpertiseArea.objects.filter(name__iexact=name).exists():
            raise ServiceError(_("There is already a topic of that name."))
        base, n = slug, 1
        while ExpertiseArea.objects.filter(slug=slug).exists():
            n += 1
            slug = f"{base[:45]}-{n}"
        if position is None:
            last = ExpertiseArea.objects.order_by("-position").values_list("position", flat=True)
            position = (last.first() or 0) + 1
        area = ExpertiseArea.objects.create(slug=slug, name=name, position=position)
        topic = Topic.objects.create(area=area, description=description.strip(), hidden=hidden)
        audit_record(actor=by, action="topic.add", target=topic, data={"slug": slug})
    return topic


def topic_edit(
    *,
    topic: Topic,
    by: User,
    name: str,
    description: str,
    position: int,
    hidden: bool,
    version: int,
) -> Topic:
    """Rename, describe, move or hide a topic. The slug stays, so links keep working."""
    name = _clean_name(name)
    with transaction.atomic():
        current = locked(Topic.objects.select_related("area"), topic.pk, version=version)
        if ExpertiseArea.objects.filter(name__iexact=name).exclude(pk=current.pk).exists():
            raise ServiceError(_("There is already a topic of that name."))
        before = {
            "name": current.area.name,
            "position": current.area.position,
            "hidden": current.hidden,
        }
        current.area.name = name
        current.area.position = position
        current.area.save(update_fields=["name", "position"])
        current.description = (description or "").strip()
        current.hidden = hidden
        current.bump_version()
        current.save(update_fields=["description", "hidden", "version"])
        audit_record(
            actor=by,
            action="topic.edit",
            target=current,
            data={
                "before": before,
                "after": {"name": name, "position": position, "hidden": hidden},
            },
        )
    return current
