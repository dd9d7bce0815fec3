from django.conf import settings
from django.core.management.base import BaseCommand

from aiii.outbox import outbox_purge


class Command(BaseCommand):
    help = (
        "Empty the bodies of outbox emails sent (or given up) more than "
        "AIII_OUTBOX_RETENTION_DAYS ago. Beat runs this daily; the embedded default has no beat, "
        "so run it from cron there."
    )

    def handle(self, *args, **options):
        count = outbox_purge()
        self.stdout.write(
            f"{count} email body(ies) older than {settings.AIII_OUTBOX_RETENTION_DAYS} day(s) "
            "emptied."
        )
