"""Measure the topic pages and the digest run (issue 13, "Performance"); prints the figures.

    python manage.py seed_demo                  # then
    python manage.py topics_benchmark           # the pages at small data
    python manage.py seed_demo --size large     # then
    python manage.py topics_benchmark --digest  # the pages at large data, and the digests

Pages are requested in-process (Django's test client, signed in as the demo member): the median
of --repeat requests, the /robots.txt floor measured the same way, and each page's query count.
The digest part creates members in a transaction that is rolled back afterwards, runs the
batches for 1,000 and for 10,000 of them and prints the time per member.
"""

import statistics
import time

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from topics.benchmark import DEMO_MEMBER, pages


class _Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Time the topic pages against the /robots.txt floor, and the digest run per member."

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=15)
        parser.add_argument(
            "--digest",
            action="store_true",
            help="Also time the digest for 1,000 and 10,000 members (in a rolled-back transaction).",
        )
        parser.add_argument("--digest-sizes", default="1000,10000")

    def handle(self, *args, repeat, digest, digest_sizes, **options):
        user = get_user_model().objects.filter(email=DEMO_MEMBER).first()
        if user is None:
            raise CommandError("Run `manage.py seed_demo` first: the demo member is missing.")
        client = Client(SERVER_NAME="localhost")
        client.force_login(user)
        floor, _queries = self._time(client, "/robots.txt", repeat)
        self.stdout.write(f"/robots.txt floor: {floor * 1000:.1f} ms")
        for label, path, _account in pages():
            median, queries = self._time(client, path, repeat)
            self.stdout.write(
                f"{label:28} {median * 1000:8.1f} ms  {median / floor:5.1f}x floor  "
                f"{queries:3d} queries  {path}"
            )
        if digest:
            sizes = [int(size) for size in digest_sizes.split(",")]
            per_member = {size: self._digest(size) for size in sizes}
            for size, seconds in per_member.items():
                self.stdout.write(f"digest, {size:6d} members: {seconds * 1000:.2f} ms per member")
            if len(sizes) >= 2:
                ratio = per_member[sizes[-1]] / per_member[sizes[0]]
                self.stdout.write(f"per-member time ratio {sizes[-1]}/{sizes[0]}: {ratio:.2f}")

    def _time(self, client, path, repeat):
        client.get(path, secure=True)
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            with CaptureQueriesContext(connection) as queries:
                response = client.get(path, secure=True)
            times.append(time.perf_counter() - started)
            if response.status_code != 200:
                raise CommandError(f"{path} answered {response.status_code}")
        return statistics.median(times), len(queries)

    def _digest(self, size):
        from django.contrib.auth.models import Group

        from members.models import NotificationPreference, Profile
        from topics.models import Subscription, Thread
        from topics.services.notifications import digest_send_batch

        thread = Thread.objects.filter(topic__hidden=False).order_by("-last_post_at").first()
        if thread is None:
            raise CommandError("No thread to watch: seed the demo first.")
        result = None
        try:
            with transaction.atomic():
                User = get_user_model()
                stamp = int(time.time())
                users = User.objects.bulk_create(
                    [
                        User(username=f"digest-{stamp}-{n}", email=f"digest{n}@bench.invalid")
                        for n in range(size)
                    ],
                    batch_size=1000,
                )
                users = list(User.objects.filter(username__startswith=f"digest-{stamp}-"))
                member_group = Group.objects.get(name="member")
                member_group.user_set.add(*users)
                Profile.objects.bulk_create(
                    [
                        Profile(
                            user=u,
                            full_name=u.username,
                            status=Profile.Status.ACTIVE,
                            notification_preference=NotificationPreference.DAILY,
                        )
                        for u in users
                    ],
                    batch_size=1000,
                )
                Subscription.objects.bulk_create(
                    [Subscription(user=u, thread=thread) for u in users], batch_size=1000
                )
                thread.posts.update(created_at=timezone.now())
                ids = [u.pk for u in users]
                started = time.perf_counter()
                sent = 0
                for start in range(0, len(ids), 200):
                    sent += digest_send_batch(
                        kind="daily", period=f"bench:{stamp}", user_ids=ids[start : start + 200]
                    )
                result = (time.perf_counter() - started) / size
                self.stdout.write(f"digest, {size} members: {sent} digests queued")
                raise _Rollback
        except _Rollback:
            pass
        return result
