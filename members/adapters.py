import uuid

from allauth.account.adapter import DefaultAccountAdapter

from aiii.outbox import email_queue_message


class AccountAdapter(DefaultAccountAdapter):
    """allauth, the portal's way: no open signup, and every email through the outbox."""

    def is_open_for_signup(self, request):
        # Accounts come only from a membership application (/apply/) or a delegation registration.
        return False

    def send_mail(self, template_prefix, email, context):
        message = self.render_mail(template_prefix, email, context)
        html = ""
        for content, mimetype in getattr(message, "alternatives", []):
            if mimetype == "text/html":
                html = content
        email_queue_message(
            to=message.to,
            subject=message.subject,
            body_text=message.body,
            body_html=html,
            # Each of allauth's emails is a distinct event (a new code or link each time).
            idempotency_key=f"allauth:{template_prefix}:{uuid.uuid4().hex}",
        )
