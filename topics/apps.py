from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TopicsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "topics"

    def ready(self):
        from aiii import fragments
        from aiii.audit import audit_labels

        from .models import (
            FLAGS_DATA,
            READER_DATA,
            TOPICS_DATA,
            Flag,
            MemberHandle,
            Post,
            Thread,
            Topic,
        )

        # What the list of topics, the topic and thread pages and the search show (each
        # member's reading marks and subscriptions are not: topics/slots.py).
        fragments.track(TOPICS_DATA, Topic, Thread, Post, MemberHandle)
        fragments.track(FLAGS_DATA, Flag)
        fragments.track_personal(READER_DATA)

        audit_labels.register(
            {
                "topic.add": _("Topic added"),
                "topic.edit": _("Topic edited"),
                "post.edit": _("Post edited by its author"),
                "post.flag": _("Post flagged by a member"),
                "post.hide": _("Post hidden"),
                "post.restore": _("Post restored"),
                "flag.dismiss": _("Flag dismissed"),
                "thread.lock": _("Thread locked"),
                "thread.unlock": _("Thread unlocked"),
                "thread.pin": _("Thread pinned"),
                "thread.unpin": _("Thread unpinned"),
            }
        )
