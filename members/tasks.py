from celery import shared_task

from .services.sessions import sessions_forget_ended


@shared_task(name="members.forget_ended_sessions")
def forget_ended_sessions():
    return sessions_forget_ended()
