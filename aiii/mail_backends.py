"""The embedded default's email backend: each message a file of its own under AIII_EMAIL_DIR."""

import uuid
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone


class DirectoryEmailBackend(BaseEmailBackend):
    """Writes each message as `<UTC time>-<random>.eml` (RFC 5322, openable by mail clients).

    Unlike Django's file backend, which appends a session's messages to one log file, one file
    per message lets a person or a test count and open the emails one by one.
    """

    def __init__(self, *args, directory=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.directory = Path(directory or settings.AIII_EMAIL_DIR)

    def send_messages(self, email_messages):
        sent = 0
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            for message in email_messages:
                if not message.recipients():
                    continue
                name = f"{timezone.now():%Y%m%d-%H%M%S-%f}-{uuid.uuid4().hex[:12]}"
                tmp = self.directory / f".{name}.tmp"
                tmp.write_bytes(message.message().as_bytes())
                tmp.rename(self.directory / f"{name}.eml")  # a reader never sees half a message
                sent += 1
        except Exception:
            if not self.fail_silently:
                raise
        return sent
