"""Every periodic task of the portal, in one place (read by Celery beat through settings)."""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    "sweep-outbox": {"task": "aiii.sweep_outbox", "schedule": 120.0},
    "clear-expired-sessions": {
        "task": "aiii.clear_expired_sessions",
        "schedule": crontab(minute=17, hour=3),
    },
}
