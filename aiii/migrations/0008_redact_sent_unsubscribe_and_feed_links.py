"""Sent emails keep no topics unsubscribe or calendar feed link (aiii.outbox.TOKEN_LINK_PATHS
names them since this release): remove those links from the rows sent before it, in their
bodies and their headers (List-Unsubscribe), as sending now does."""

import re

from django.db import migrations

# As they were when this migration was written (the other credential links were removed from
# sent rows already).
PATHS = ("/topics/unsubscribe/", "/meetings/feed/")
LINK_REMOVED = "[link removed after sending]"
LINK = re.compile(
    r"(?:https?://[^\s\"'<>/]+)?(?:" + "|".join(re.escape(p) for p in PATHS) + r")[^\s\"'<>]*"
)


def redact(apps, schema_editor):
    OutboxEmail = apps.get_model("aiii", "OutboxEmail")
    rows = OutboxEmail.objects.filter(status="sent").only("body_text", "body_html", "headers")
    for row in rows.iterator(chunk_size=500):
        headers = {
            name: LINK.sub(LINK_REMOVED, value) if isinstance(value, str) else value
            for name, value in (row.headers or {}).items()
        }
        text, html = LINK.sub(LINK_REMOVED, row.body_text), LINK.sub(LINK_REMOVED, row.body_html)
        if (text, html, headers) != (row.body_text, row.body_html, row.headers or {}):
            OutboxEmail.objects.filter(pk=row.pk).update(
                body_text=text, body_html=html, headers=headers
            )


class Migration(migrations.Migration):
    dependencies = [("aiii", "0007_session_with_user")]

    operations = [migrations.RunPython(redact, migrations.RunPython.noop)]
