"""Topic threads: topics (one-to-one with members' areas of expertise), threads, posts, their
edit history, reading marks, subscriptions, mentions, flags and the digests sent."""

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from aiii.permissions import can_use_members_area, is_secretariat
from aiii.state import Versioned
from members.models import ExpertiseArea

# The data set (aiii.fragments) of what the topics' cached pages show: topics, threads, posts
# and handles. Writes that send no signal (QuerySet.update, bulk_create) call
# aiii.fragments.changed(TOPICS_DATA).
TOPICS_DATA = "topics"
# The open flags the secretariat moderates (the dashboard's and the home's counts).
FLAGS_DATA = "topic_flags"
# One member's reading marks and subscriptions (their home's unread threads), kept per member.
READER_DATA = "topics_reader"


def _topics_scope(user):
    """Which topics `user` may read: "all" (the secretariat), "open" (the topics not hidden,
    for active members) or "none"."""
    if is_secretariat(user):
        return "all"
    if can_use_members_area(user):
        return "open"
    return "none"


def topic_visible_to(user, *, hidden: bool) -> bool:
    """Whether `user` may read a topic that is `hidden` or not: TopicQuerySet.visible_to's rule
    for a topic already in hand."""
    scope = _topics_scope(user)
    return scope == "all" or (scope == "open" and not hidden)


class TopicQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Every topic for the secretariat; the topics not hidden for active members."""
        scope = _topics_scope(user)
        if scope == "all":
            return self
        if scope == "open":
            return self.filter(hidden=False)
        return self.none()

    def hidden_from(self, user):
        """The topics `user` may not see: none for the secretariat, the hidden ones for active
        members, all for anyone else."""
        scope = _topics_scope(user)
        if scope == "all":
            return self.none()
        if scope == "open":
            return self.filter(hidden=True)
        return self


# The seeded topics' descriptions (migration 0002), marked for translation (see description_label).
SEEDED_DESCRIPTIONS = {
    "identifying-ai-outputs": gettext_noop(
        "Detecting and labelling content produced by AI systems: classifiers, metadata, "
        "their error rates and how they hold up in practice."
    ),
    "human-ai-contributions": gettext_noop(
        "Telling apart and documenting what a person and what an AI system contributed to a "
        "work, an invention or a dataset."
    ),
    "watermarking-provenance": gettext_noop(
        "Watermarks, content credentials and provenance metadata: how they are embedded, how "
        "they survive editing and how they are verified."
    ),
    "standards-tools": gettext_noop(
        "Technical standards, open tools and the interoperability between them, from "
        "metadata schemas to verification services."
    ),
    "ip-office-practice": gettext_noop(
        "How IP offices handle AI in their daily work: examination, registration, records "
        "and the tools they use."
    ),
}


class Topic(Versioned):
    """What only a topic has, beside its area of expertise (the name, slug and order).

    The topics and the areas of expertise are one list (CONTRIBUTING.md): the area is the
    primary key, and the secretariat's "add a topic" creates both together.
    """

    area = models.OneToOneField(
        ExpertiseArea, on_delete=models.CASCADE, primary_key=True, related_name="topic"
    )
    description = models.TextField(_("description"), blank=True)
    # Hidden: members no longer see it or its threads; nobody may post into it.
    hidden = models.BooleanField(_("hidden from members"), default=False)
    # Counters kept by the services, so the list of topics reads no thread.
    thread_count = models.PositiveIntegerField(default=0)
    last_activity = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TopicQuerySet.as_manager()

    class Meta:
        ordering = ["area__position", "area__name"]

    def __str__(self):
        return self.area.label

    @property
    def name(self):
        return self.area.name

    @property
    def description_label(self):
        """The description in the reader's language while it is the one seeded (migration
        0002); as written once the secretariat has changed it."""
        seeded = SEEDED_DESCRIPTIONS.get(self.area.slug)
        return gettext(self.description) if seeded == self.description else self.description

    @property
    def slug(self):
        return self.area.slug

    def get_absolute_url(self):
        return reverse("topics:topic", kwargs={"slug": self.area.slug})


class ThreadQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(topic__in=Topic.objects.visible_to(user))


class Thread(Versioned):
    """A conversation in a topic. Its version counts the secretariat's decisions on it (lock,
    unlock, pin, unpin), so a second click or a stale page is refused."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="threads")
    title = models.CharField(_("title"), max_length=200)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="topic_threads"
    )
    locked = models.BooleanField(default=False)
    pinned = models.BooleanField(default=False)
    # Counters kept by the services, so lists need no aggregate over the posts.
    post_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    last_post_at = models.DateTimeField(default=timezone.now)

    objects = ThreadQuerySet.as_manager()

    class Meta:
        ordering = ["-pinned", "-last_post_at", "-pk"]
        # Read backwards, it gives a topic's page in its order (pinned, latest, newest) without
        # sorting the topic's threads.
        indexes = [
            models.Index(
                fields=["topic", "pinned", "last_post_at", "id"], name="topics_thread_page_idx"
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("topics:thread", kwargs={"pk": self.pk})


class AIDisclosure(models.TextChoices):
    NONE = "none", _("Written without AI")
    ASSISTED = "assisted", _("Written with AI assistance")
    GENERATED = "generated", _("AI-generated, reviewed by the author")


class PostQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Posts of the threads `user` may see; a hidden post is among them (it shows as
        hidden), so its link keeps working."""
        return self.filter(thread__in=Thread.objects.visible_to(user))


class Post(Versioned):
    """One contribution to a thread. The Markdown source, its clean HTML (rendered once, by
    the service that saves it) and the SHA-256 of the source are stored together. Its version
    counts edits and moderation."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="posts")
    # Its place in the thread (1, 2, …): which page it is on, without counting rows.
    number = models.PositiveIntegerField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="topic_posts"
    )
    source = models.TextField()
    html = models.TextField()
    source_sha256 = models.CharField(max_length=64)
    ai_disclosure = models.CharField(
        _("how this was written"),
        max_length=10,
        choices=AIDisclosure.choices,
        default=AIDisclosure.NONE,
    )
    ai_tool = models.CharField(_("AI tool"), max_length=100, blank=True)
    hidden = models.BooleanField(default=False)
    hidden_reason = models.TextField(blank=True)
    # A default rather than auto_now_add, so imported or demo posts keep their own dates.
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    edited_at = models.DateTimeField(null=True, blank=True)
    # The submitting form's one-time key: a double click posts once (unique per author).
    client_token = models.CharField(max_length=64, blank=True)
    search_vector = SearchVectorField(null=True, editable=False)

    objects = PostQuerySet.as_manager()

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["thread", "number"], name="topics_post_thread_number"),
            models.UniqueConstraint(
                fields=["author", "client_token"],
                condition=~Q(client_token=""),
                name="topics_post_author_client_token",
            ),
        ]
        indexes = [
            models.Index(fields=["thread", "created_at"]),
            # The digests read one period's posts across every thread.
            models.Index(fields=["created_at"], name="topics_post_created_idx"),
        ]

    def __str__(self):
        return f"{self.thread.title} #{self.number}"

    def get_absolute_url(self):
        return reverse("topics:post", kwargs={"pk": self.pk})

    @property
    def anchor(self):
        return f"post-{self.pk}"


class PostRevision(models.Model):
    """Each version of a post as it was saved: the first one and every edit."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField()
    source = models.TextField()
    source_sha256 = models.CharField(max_length=64)
    ai_disclosure = models.CharField(max_length=10, choices=AIDisclosure.choices)
    ai_tool = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["version"]
        constraints = [
            models.UniqueConstraint(fields=["post", "version"], name="topics_revision_unique")
        ]

    def __str__(self):
        return f"{self.post_id} v{self.version}"


class MemberHandle(models.Model):
    """The name a member is @mentioned by: a slug of their name, unique.

    Kept here rather than on members.Profile so the topics app adds its own table and leaves
    members' schema alone; handles are given out (topics.services.handles_ensure) before a
    mention is resolved, so every active member has one by then.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="topic_handle",
    )
    handle = models.SlugField(max_length=60, unique=True)

    def __str__(self):
        return f"@{self.handle}"


class ThreadRead(models.Model):
    """How far a member has read a thread: the number of the last post they were shown."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="reads")
    last_read_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "thread"], name="topics_read_unique")
        ]

    def __str__(self):
        return f"{self.user_id} read {self.thread_id} to {self.last_read_number}"


class Subscription(models.Model):
    """A member watches a topic (every thread in it) or one thread."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="topic_subscriptions"
    )
    topic = models.ForeignKey(
        Topic, null=True, blank=True, on_delete=models.CASCADE, related_name="subscriptions"
    )
    thread = models.ForeignKey(
        Thread, null=True, blank=True, on_delete=models.CASCADE, related_name="subscriptions"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(topic__isnull=True, thread__isnull=False)
                | Q(topic__isnull=False, thread__isnull=True),
                name="topics_subscription_one_target",
            ),
            models.UniqueConstraint(
                fields=["user", "topic"],
                condition=Q(topic__isnull=False),
                name="topics_subscription_topic_unique",
            ),
            models.UniqueConstraint(
                fields=["user", "thread"],
                condition=Q(thread__isnull=False),
                name="topics_subscription_thread_unique",
            ),
        ]

    def __str__(self):
        return f"{self.user_id} watches {self.topic_id or self.thread_id}"


class Mention(models.Model):
    """A member @mentioned in a post (only members who may see the thread are recorded)."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="mentions")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="topic_mentions"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["post", "user"], name="topics_mention_unique")
        ]
        indexes = [models.Index(fields=["user", "created_at"])]

    def __str__(self):
        return f"@{self.user_id} in {self.post_id}"


class Flag(models.Model):
    """A member asks the secretariat to look at a post."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="flags")
    flagged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    reason = models.TextField(_("reason"))
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["post", "flagged_by"],
                condition=Q(resolved_at__isnull=True),
                name="topics_flag_open_unique",
            )
        ]

    def __str__(self):
        return f"{self.post} ({self.flagged_by_id})"


class DigestSent(models.Model):
    """One digest per member and period ("daily:2026-11-29", "weekly:2026-W48"), however often
    the task runs or retries; `covered_until` is where the next digest starts."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    period = models.CharField(max_length=20)
    covered_until = models.DateTimeField()
    item_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "period"], name="topics_digest_unique")
        ]
        indexes = [models.Index(fields=["user", "covered_until"])]

    def __str__(self):
        return f"{self.user_id} {self.period}"
