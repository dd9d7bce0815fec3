from django.core.management.base import BaseCommand

from aiii.outbox import outbox_sweep


class Command(BaseCommand):
    help = (
        "Hand outbox emails that were left behind (broker down, worker lost, failed attempt due "
        "again) to the worker. Beat runs this every two minutes; the embedded default has no "
        "beat, so run it by hand or from cron there."
    )

    def handle(self, *args, **options):
        count = outbox_sweep()
        self.stdout.write(f"{count} email(s) handed over for sending.")
