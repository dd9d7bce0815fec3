"""Every periodic task of the portal, in one place (CELERY_BEAT_SCHEDULE, run by Celery beat).

Tasks are named by their `name=`, so this module imports no app.
"""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    # Hands over emails left unsent (broker outage, crashed worker); see aiii.outbox.outbox_sweep.
    # Every minute: with AIII_OUTBOX_STALE_SECONDS, the longest a crashed worker's email waits.
    "sweep-outbox": {"task": "aiii.sweep_outbox", "schedule": 60.0},
    # Empties the bodies of emails sent more than AIII_OUTBOX_RETENTION_DAYS ago.
    "purge-outbox": {"task": "aiii.purge_outbox", "schedule": crontab(minute=7, hour=3)},
    "clear-expired-sessions": {
        "task": "aiii.clear_expired_sessions",
        "schedule": crontab(minute=17, hour=3),
    },
    # After the sessions themselves: the records that let a suspension end a member's sessions.
    "forget-ended-sessions": {
        "task": "members.forget_ended_sessions",
        "schedule": crontab(minute=47, hour=3),
    },
    # Meeting reminders 7 days and 1 day before; each goes out once per participant however
    # often this runs (meetings.services.participants.meetings_remind).
    "meeting-reminders": {"task": "meetings.send_reminders", "schedule": crontab(minute="*/15")},
    # Topic digests: each run splits the members of that preference into batches; a member gets
    # at most one digest per period (topics.DigestSent), however often these run.
    "topics-daily-digest": {
        "task": "topics.send_digests",
        "schedule": crontab(minute=0, hour=6),
        "kwargs": {"kind": "daily"},
    },
    "topics-weekly-digest": {
        "task": "topics.send_digests",
        "schedule": crontab(minute=30, hour=6, day_of_week=1),
        "kwargs": {"kind": "weekly"},
    },
}
