"""Demo data for the annual public meeting (see aiii/management/commands/seed_demo.py).

The stable contract (DESIGN.md): this year's meeting, open for interventions;
`delegate@example.org`, verified delegate of Switzerland, with one submitted and one published
intervention; `pending-delegate@example.org`, a delegate the secretariat has not verified yet.
Last year's meeting is archived. `--size large` adds 200 interventions in this year and three
more archived years. Idempotent: what exists is left as it is.
"""

import random
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.utils import timezone

from aiii.markdown import render_markdown
from aiii.permissions import DELEGATE_GROUP, SECRETARIAT_GROUP
from members.demo import DEMO_PASSWORD
from members.models import Profile

from .files import text_sha256
from .models import (
    AnnualMeeting,
    Delegate,
    Delegation,
    Intervention,
    InterventionEvent,
)

DEPENDS_ON = ("members",)
LARGE_INTERVENTIONS = 200
LARGE_PAST_YEARS = 3
LARGE_PER_PAST_YEAR = 60
LARGE_TITLE = "Statement on AI provenance practice"
ZONE = "Europe/Zurich"
SWISS_PUBLISHED_TITLE = "Switzerland on provenance metadata in IP offices"

PROGRAMME = """\
**09:30** Opening by the secretariat

**10:00** Results and status of the Technical Exchange Network

- Identifying AI-generated outputs
- Watermarking and provenance

**11:30** Interventions of Member States

**14:30** Interventions of observers

**16:30** Closing
"""

OBSERVERS = [
    (Delegation.Kind.INTERGOVERNMENTAL, "Regional Intellectual Property Organisation"),
    (Delegation.Kind.INTERGOVERNMENTAL, "International Standards Cooperation Forum"),
    (Delegation.Kind.NON_GOVERNMENTAL, "Global Creators Alliance"),
    (Delegation.Kind.NON_GOVERNMENTAL, "Open Provenance Initiative"),
]

TEXTS = {
    "en": "We thank the Technical Exchange Network for its report.\n\n"
    "Our office has tested **provenance metadata** on incoming applications and would "
    "welcome shared guidance on:\n\n- labelling AI-assisted works\n- keeping watermarks "
    "through format changes",
    "fr": "Nous remercions le Réseau d'échange technique pour son rapport.\n\n"
    "Notre office souhaite des orientations communes sur **l'étiquetage** des contenus "
    "produits avec l'aide de l'IA.",
    "es": "Agradecemos a la Red de Intercambio Técnico su informe.\n\n"
    "Proponemos un **glosario común** para distinguir las contribuciones humanas de las "
    "generadas por IA.",
    "ar": "نشكر شبكة التبادل التقني على تقريرها.\n\nونقترح إرشادات مشتركة بشأن **وسم** "
    "المحتوى المولد بالذكاء الاصطناعي.",
    "zh": "我们感谢技术交流网络的报告。\n\n我们建议就人工智能生成内容的**标识**制定共同指南。",
    "ru": "Мы благодарим Сеть технического обмена за доклад.\n\nПредлагаем общие рекомендации "
    "по **маркировке** материалов, созданных с помощью ИИ.",
}


def _account(email, password, *, name, groups=()):
    User = get_user_model()
    user = User.objects.filter(email__iexact=email).first()
    created = user is None
    if created:
        user = User.objects.create(username=email, email=email, password=password)
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    for group in groups:
        user.groups.add(Group.objects.get_or_create(name=group)[0])
    Profile.objects.get_or_create(
        user=user, defaults={"full_name": name, "status": Profile.Status.NONE}
    )
    return user, created


def _state(code):
    return Delegation.objects.get(kind=Delegation.Kind.MEMBER_STATE, code=code)


def _meeting(year, *, today, open_for_submissions):
    if open_for_submissions:
        meeting_date = min(today + timedelta(days=20), date(year, 12, 31))
        deadline = timezone.now() + timedelta(days=14)
        deadline = deadline.astimezone(ZoneInfo(ZONE)).replace(
            hour=18, minute=0, second=0, microsecond=0
        )
    else:
        meeting_date = date(year, 10, 14)
        deadline = datetime.combine(date(year, 9, 30), time(18, 0), tzinfo=ZoneInfo(ZONE))
    meeting, created = AnnualMeeting.objects.get_or_create(
        year=year,
        defaults={
            "date": meeting_date,
            "venue": "Geneva, Conference Hall A, and online",
            "hybrid_access": "Streamed live on the organisation's website. Delegates speaking "
            "online receive a personal link from the secretariat.",
            "programme_source": PROGRAMME,
            "programme_html": render_markdown(PROGRAMME),
            "submission_deadline": deadline,
            "deadline_time_zone": ZONE,
            "speakers_list_published": not open_for_submissions,
            "speakers_list_published_at": None if open_for_submissions else deadline,
        },
    )
    return meeting, created


def _intervention(meeting, delegation, author, *, title, language, status, when, **extra):
    text = TEXTS[language]
    item = Intervention.objects.create(
        meeting=meeting,
        delegation=delegation,
        created_by=author,
        speaker_name=extra.pop("speaker_name", f"Head of the delegation of {delegation.name}"),
        speaker_title=extra.pop("speaker_title", "Ambassador"),
        title=title,
        language=language,
        text_source=text,
        text_html=render_markdown(text),
        text_sha256=text_sha256(text),
        mode=extra.pop("mode", Intervention.Mode.ROOM),
        speaking_minutes=3,
        ai_disclosure=extra.pop("ai_disclosure", Intervention.AiDisclosure.NONE),
        ai_tool=extra.pop("ai_tool", ""),
        status=status,
        submitted_at=when,
        published_at=when + timedelta(days=2) if status == Intervention.Status.PUBLISHED else None,
        **extra,
    )
    kinds = {
        Intervention.Status.SUBMITTED: ["created", "submitted"],
        Intervention.Status.ACCEPTED: ["created", "submitted", "accepted"],
        Intervention.Status.PUBLISHED: ["created", "submitted", "accepted", "published"],
    }.get(status, ["created"])
    InterventionEvent.objects.bulk_create(
        [
            InterventionEvent(
                intervention=item,
                kind=kind,
                actor=author,
                created_at=when + timedelta(hours=index),
            )
            for index, kind in enumerate(kinds)
        ]
    )
    return item


def seed(*, size, log):
    password = make_password(DEMO_PASSWORD)
    today = timezone.localdate()
    now = timezone.now()
    for kind, name in OBSERVERS:
        Delegation.objects.get_or_create(kind=kind, name=name)

    delegate_user, _ = _account(
        "delegate@example.org", password, name="Anna Keller", groups=[DELEGATE_GROUP]
    )
    swiss, _ = Delegate.objects.get_or_create(
        user=delegate_user,
        defaults={
            "delegation": _state("CH"),
            "full_name": "Anna Keller",
            "official_title": "First Secretary, Permanent Mission of Switzerland",
            "official_email": "anna.keller@mission-ch.example.org",
            "status": Delegate.Status.VERIFIED,
            "decided_at": now - timedelta(days=10),
            "decided_by": get_user_model().objects.filter(groups__name=SECRETARIAT_GROUP).first(),
        },
    )
    pending_user, _ = _account("pending-delegate@example.org", password, name="Samuel Otieno")
    Delegate.objects.get_or_create(
        user=pending_user,
        defaults={
            "delegation": _state("KE"),
            "full_name": "Samuel Otieno",
            "official_title": "Counsellor, Permanent Mission of Kenya",
            "official_email": "s.otieno@mission-ke.example.org",
        },
    )
    log("delegate@example.org (Switzerland, verified), pending-delegate@example.org (Kenya)")

    meeting, created = _meeting(today.year, today=today, open_for_submissions=True)
    if created:
        _intervention(
            meeting,
            swiss.delegation,
            delegate_user,
            title=SWISS_PUBLISHED_TITLE,
            language="fr",
            status=Intervention.Status.PUBLISHED,
            when=now - timedelta(days=6),
            speaker_name="Anna Keller",
            speaker_title="First Secretary",
            ai_disclosure=Intervention.AiDisclosure.ASSISTED,
            ai_tool="DeepL Write",
        )
        _intervention(
            meeting,
            swiss.delegation,
            delegate_user,
            title="Switzerland on labelling AI-assisted works",
            language="en",
            status=Intervention.Status.SUBMITTED,
            when=now - timedelta(days=1),
            speaker_name="Anna Keller",
            speaker_title="First Secretary",
        )
        observers = list(Delegation.objects.filter(kind__in=Delegation.OBSERVER_KINDS))
        for index, (delegation, language, status) in enumerate(
            [
                (_state("FR"), "fr", Intervention.Status.ACCEPTED),
                (_state("EG"), "ar", Intervention.Status.PUBLISHED),
                (observers[0], "en", Intervention.Status.ACCEPTED),
                (_state("MX"), "es", Intervention.Status.SUBMITTED),
                (observers[2], "en", Intervention.Status.PUBLISHED),
            ]
        ):
            _intervention(
                meeting,
                delegation,
                delegate_user,
                title=f"Intervention of {delegation.name}",
                language=language,
                status=status,
                when=now - timedelta(days=5 - index),
            )
    log(f"annual meeting {meeting.year} (open until {meeting.deadline_label} {ZONE})")

    past, created = _meeting(today.year - 1, today=today, open_for_submissions=False)
    if created:
        for index, (code, language) in enumerate([("JP", "en"), ("CN", "zh"), ("RU", "ru")]):
            _intervention(
                past,
                _state(code),
                delegate_user,
                title=f"Intervention of {_state(code).name} ({past.year})",
                language=language,
                status=Intervention.Status.PUBLISHED,
                when=past.submission_deadline - timedelta(days=10 - index),
            )
    log(f"annual meeting {past.year} archived")

    if size == "large":
        _seed_large(meeting, today=today, password=password, log=log)


def _bulk(meeting, count, author, *, statuses, rng):
    delegations = list(Delegation.objects.filter(active=True))
    languages = list(TEXTS)
    start = meeting.submission_deadline - timedelta(days=40)
    rows = []
    for index in range(count):
        language = rng.choice(languages)
        status = rng.choice(statuses)
        when = start + timedelta(minutes=7 * index)
        text = TEXTS[language] + f"\n\nReference {meeting.year}-{index + 1}."
        rows.append(
            Intervention(
                meeting=meeting,
                delegation=rng.choice(delegations),
                created_by=author,
                speaker_name=f"Delegate {index + 1}",
                speaker_title="Counsellor",
                title=f"{LARGE_TITLE} {meeting.year}-{index + 1}",
                language=language,
                text_source=text,
                text_html=render_markdown(text),
                text_sha256=text_sha256(text),
                mode=rng.choice(Intervention.Mode.values),
                speaking_minutes=rng.choice([2, 3, 5]),
                ai_disclosure=rng.choice(Intervention.AiDisclosure.values),
                status=status,
                submitted_at=when,
                published_at=when + timedelta(days=3)
                if status == Intervention.Status.PUBLISHED
                else None,
            )
        )
    Intervention.objects.bulk_create(rows, batch_size=500)


def _seed_large(meeting, *, today, password, log):
    rng = random.Random(2026)
    author, _ = _account(
        "forum-delegates@large.example.org", password, name="Large demo delegations"
    )
    S = Intervention.Status
    if not meeting.interventions.filter(title__startswith=LARGE_TITLE).exists():
        _bulk(
            meeting,
            LARGE_INTERVENTIONS,
            author,
            statuses=[S.PUBLISHED, S.PUBLISHED, S.ACCEPTED, S.SUBMITTED, S.RETURNED, S.DRAFT],
            rng=rng,
        )
    for offset in range(2, 2 + LARGE_PAST_YEARS):
        past, _created = _meeting(today.year - offset, today=today, open_for_submissions=False)
        if not past.interventions.filter(title__startswith=LARGE_TITLE).exists():
            _bulk(past, LARGE_PER_PAST_YEAR, author, statuses=[S.PUBLISHED], rng=rng)
    log(
        f"{LARGE_INTERVENTIONS} interventions in {meeting.year}, "
        f"{LARGE_PAST_YEARS} more archived years"
    )
