"""Demo topic threads for `manage.py seed_demo` (see aiii/management/commands/seed_demo.py).

small: a few threads in every topic, written through the services by alice, bob and the other
demo members (quotes, a mention, AI disclosures, an edit, a flag, a pinned and a locked thread).
large: LARGE_THREADS threads of POSTS_PER_THREAD posts each (60,000 posts) and one long thread,
made with bulk inserts; each distinct text is rendered once. Idempotent.
"""

import random
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.postgres.search import SearchVector
from django.db import connection
from django.db.models import Count, Max
from django.utils import timezone

from members.models import Profile

from . import conf
from .models import AIDisclosure, Post, PostRevision, Subscription, Thread, Topic
from .services.handles import handles_ensure
from .services.moderation import post_flag, thread_moderate
from .services.posts import (
    post_edit,
    post_reply,
    render_post,
    searchable_source,
    source_sha256,
    thread_start,
)

DEPENDS_ON = ("members",)
LARGE_PREFIX = "Benchmark thread"
LARGE_THREADS = 3000
POSTS_PER_THREAD = 20
LONG_THREAD_TITLE = "Benchmark thread: a long one of 100 posts"
LONG_THREAD_POSTS = 100
BATCH = 2000

N, A, G = AIDisclosure.NONE, AIDisclosure.ASSISTED, AIDisclosure.GENERATED

# topic slug, title, [(author email, disclosure, tool, text)], first is the opening post
SMALL = [
    (
        "watermarking-provenance",
        "Do content credentials survive re-encoding?",
        [
            (
                "alice@example.org",
                N,
                "",
                "We re-encoded 500 signed images through three social platforms. "
                "**Most lost their manifest** on the first upload.\n\n"
                "- platform A: 12 of 500 kept it\n- platform B: none\n- platform C: 430 of 500",
            ),
            (
                "li.wei@example.org",
                A,
                "Translation assistant",
                "Similar results here. Soft binding (a watermark pointing to the manifest) "
                "recovered most of them.",
            ),
            (
                "lucas.martin@example.org",
                N,
                "",
                "As a photographer I care most about the *first* upload. Is there a checklist "
                "we could share with our members?",
            ),
            (
                "alice@example.org",
                N,
                "",
                "@lucas-martin yes: I will draft one for the next TEN meeting.",
            ),
        ],
    ),
    (
        "identifying-ai-outputs",
        "Benchmarks for AI-output detectors",
        [
            (
                "hiroshi.tanaka@example.org",
                N,
                "",
                "Which public benchmarks do you trust for text detectors? Most report accuracy "
                "on balanced sets, which says little about false positives.",
            ),
            (
                "james.smith@example.org",
                G,
                "An AI assistant",
                "A summary of three benchmarks, reviewed by me:\n\n"
                "| benchmark | domain | false positives |\n|---|---|---|\n"
                "| A | news | 4% |\n| B | essays | 11% |\n| C | code | 2% |",
            ),
            (
                "alice@example.org",
                N,
                "",
                "Thanks. The essays figure matches what universities report.",
            ),
        ],
    ),
    (
        "human-ai-contributions",
        "Disclosing AI assistance in creative works",
        [
            (
                "bob@example.org",
                N,
                "",
                "Our collective wants a simple label for illustrations made with some AI help. "
                "What do publishers accept today?",
            ),
            (
                "sophie.muller@example.org",
                N,
                "",
                "Our house asks for a short statement: which tool, and for which step.",
            ),
            (
                "ana.silva@example.org",
                A,
                "Grammar checker",
                "This forum does it per post: look at the label beside each author.",
            ),
        ],
    ),
    (
        "standards-tools",
        "Interoperable metadata schemas",
        [
            (
                "olga.ivanova@example.org",
                N,
                "",
                "Could we map the three main provenance schemas onto each other? "
                "A shared table would help tool makers.",
            ),
            ("fatima.benali@example.org", N, "", "I can start the table for the image formats."),
        ],
    ),
    (
        "ip-office-practice",
        "Examining applications that mention AI tools",
        [
            (
                "maria.gonzalez@example.org",
                N,
                "",
                "How do your offices record that an applicant used AI tools? We add a note to "
                "the file but nothing searchable.",
            ),
            (
                "emma.wilson@example.org",
                N,
                "",
                "We have a field in the examination system since last year.",
            ),
        ],
    ),
]
PINNED = "Do content credentials survive re-encoding?"
LOCKED = "Examining applications that mention AI tools"

LARGE_TEXTS = [
    "We tested detector {n} on {m} samples; the false-positive rate was {p}%.",
    "Has anyone compared watermark robustness after **cropping** and *re-encoding*? Run {n}.",
    "Provenance metadata was kept in {p}% of the {m} files we uploaded.\n\n- step one\n- step two",
    "> A quoted line from an earlier post\n\nI agree, and our office sees the same ({n}).",
    "Standards work item {n}: mapping fields between schemas, {m} fields left.",
    "Our creators' collective asked {m} members how they disclose AI assistance.",
    "Code sample:\n\n```\nverify(manifest_{n}, image)\n```\n\nIt fails on {p}% of files.",
    "The examination guidelines mention AI tools in {m} places; see section {n}.",
]


def seed(*, size, log):
    handles_ensure()
    _seed_small(log)
    if size == "large":
        _seed_large(log)


def _users_by_email():
    return {
        user.email: user
        for user in get_user_model()
        .objects.filter(email__endswith="@example.org")
        .exclude(email__endswith=".large.example.org")
        .select_related("profile")
    }


def _seed_small(log):
    users = _users_by_email()
    secretariat = users.get("secretariat@example.org")
    topics = {topic.area.slug: topic for topic in Topic.objects.select_related("area")}
    added = 0
    for slug, title, posts in SMALL:
        if Thread.objects.filter(title=title).exists() or slug not in topics:
            continue
        people = [users.get(email) for email, *_rest in posts]
        if any(person is None for person in people):
            log(f"skipped “{title}”: its demo members are missing")
            continue
        (email, disclosure, tool, text), *replies = posts
        thread = thread_start(
            topic=topics[slug],
            by=users[email],
            title=title,
            source=text,
            ai_disclosure=disclosure,
            ai_tool=tool,
        )
        for email, disclosure, tool, text in replies:
            post_reply(
                thread=thread, by=users[email], source=text, ai_disclosure=disclosure, ai_tool=tool
            )
        added += 1
        if secretariat and title == PINNED:
            thread_moderate(thread=thread, by=secretariat, action="pin", version=thread.version)
        if secretariat and title == LOCKED:
            thread_moderate(thread=thread, by=secretariat, action="lock", version=thread.version)
    if added:
        _small_extras(users, topics)
    log(f"{len(SMALL)} demo threads, {added} new")


def _small_extras(users, topics):
    """An edit (so a history shows), a flag in the queue, and what alice and bob watch."""
    bob_post = Post.objects.filter(thread__title=PINNED, number=3).first()
    if bob_post:
        post_edit(
            post=bob_post,
            by=bob_post.author,
            source=bob_post.source + "\n\n(Edited: the checklist would help our members.)",
            ai_disclosure=bob_post.ai_disclosure,
            ai_tool=bob_post.ai_tool,
            version=bob_post.version,
        )
    flagged = Post.objects.filter(thread__title="Benchmarks for AI-output detectors", number=2)
    if flagged.exists() and "bob@example.org" in users:
        post_flag(
            post=flagged.get(),
            by=users["bob@example.org"],
            reason="Is an AI-generated summary allowed here?",
        )
    for email, slug in (
        ("alice@example.org", "identifying-ai-outputs"),
        ("bob@example.org", "watermarking-provenance"),
    ):
        if email in users and slug in topics:
            Subscription.objects.get_or_create(user=users[email], topic=topics[slug])


# --- large ---------------------------------------------------------------------------------------


def _seed_large(log):
    existing = Thread.objects.filter(title__startswith=LARGE_PREFIX).count()
    if existing >= LARGE_THREADS + 1:
        log(f"{existing} large-set threads already there")
        return
    rng = random.Random(2026)
    authors = list(
        Profile.objects.filter(status=Profile.Status.ACTIVE)
        .order_by("pk")
        .values_list("user_id", flat=True)[:2000]
    )
    topics = list(Topic.objects.filter(hidden=False).order_by("pk"))
    # Each distinct text rendered once.
    sources = [
        LARGE_TEXTS[n % len(LARGE_TEXTS)].format(n=n, m=rng.randint(50, 5000), p=rng.randint(1, 40))
        for n in range(40)
    ]
    rendered = {source: (render_post(source), source_sha256(source)) for source in sources}
    titles = set(
        Thread.objects.filter(title__startswith=LARGE_PREFIX).values_list("title", flat=True)
    )
    wanted = [(f"{LARGE_PREFIX} {n:04d}", POSTS_PER_THREAD) for n in range(1, LARGE_THREADS + 1)]
    wanted.append((LONG_THREAD_TITLE, LONG_THREAD_POSTS))
    missing = [(title, count) for title, count in wanted if title not in titles]
    now = timezone.now()
    made_posts = 0
    for start in range(0, len(missing), BATCH // 10):
        chunk = missing[start : start + BATCH // 10]
        threads = Thread.objects.bulk_create(
            [
                Thread(
                    topic=topics[(start + i) % len(topics)],
                    title=title,
                    author_id=rng.choice(authors),
                    post_count=count,
                    # Last activity within the past year, none in the last two days: the
                    # digests of a benchmark find only what it posts itself.
                    last_post_at=now - timedelta(minutes=rng.randint(2880, 525_600)),
                )
                for i, (title, count) in enumerate(chunk)
            ]
        )
        if any(thread.pk is None for thread in threads):  # SQLite before 3.35 returns no ids
            by_title = dict(
                Thread.objects.filter(title__in=[t for t, _c in chunk]).values_list("title", "pk")
            )
            for thread in threads:
                thread.pk = by_title[thread.title]
        posts = []
        for thread, (_title, count) in zip(threads, chunk, strict=True):
            for number in range(1, count + 1):
                # A post every few hours, the last one at the thread's last activity.
                created = thread.last_post_at - timedelta(hours=3 * (count - number))
                source = sources[rng.randrange(len(sources))]
                html, digest = rendered[source]
                posts.append(
                    Post(
                        thread_id=thread.pk,
                        number=number,
                        author_id=thread.author_id if number == 1 else rng.choice(authors),
                        source=source,
                        html=html,
                        source_sha256=digest,
                        ai_disclosure=rng.choice((N, N, N, A, G)),
                        created_at=created,
                    )
                )
        created = Post.objects.bulk_create(posts, batch_size=BATCH)
        if all(post.pk for post in created):
            PostRevision.objects.bulk_create(
                [
                    PostRevision(
                        post_id=post.pk,
                        version=1,
                        source=post.source,
                        source_sha256=post.source_sha256,
                        ai_disclosure=post.ai_disclosure,
                    )
                    for post in created
                ],
                batch_size=BATCH,
            )
        made_posts += len(created)
        if (start // (BATCH // 10)) % 5 == 4:
            log(f"large set: {start + len(chunk)} of {len(missing)} threads added")
    _topic_counters()
    _large_search_vectors()
    log(f"large set: {len(missing)} threads and {made_posts} posts added")


def _topic_counters():
    """The topics' counters after a bulk insert, from their threads."""
    for topic in Topic.objects.annotate(n=Count("threads"), latest=Max("threads__last_post_at")):
        Topic.objects.filter(pk=topic.pk).update(thread_count=topic.n, last_activity=topic.latest)


def _large_search_vectors():
    """The search vectors of the large set, in two statements (PostgreSQL only)."""
    if connection.vendor != "postgresql":
        return
    config = conf.search_config()
    large = Post.objects.filter(thread__title__startswith=LARGE_PREFIX)
    large.update(search_vector=SearchVector(searchable_source(), config=config, weight="B"))
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE topics_post AS p SET search_vector = "
            "setweight(to_tsvector(%s::regconfig, t.title), 'A') || p.search_vector "
            "FROM topics_thread AS t WHERE p.thread_id = t.id AND p.number = 1 "
            "AND t.title LIKE %s",
            [config, LARGE_PREFIX + "%"],
        )
        # Fresh statistics after a bulk load, so the planner knows the tables' sizes.
        cursor.execute("ANALYZE topics_thread, topics_post, topics_postrevision")
