from django.core.exceptions import ValidationError
from django.db import migrations

from aiii.emails import normalise_email

# Addresses stored before aiii.emails.normalise_email guarded every entry. An address with an
# internationalised domain was stored as typed (müller.de) and is looked up now by its A-label
# (xn--mller-kva.de): without this its owner could not sign in. An address that has no normal
# form (it carries invisible characters) or whose normal form another row holds already is left
# as it is; it can no longer be typed to sign in, which is what such an address deserves.
EMAIL_FIELDS = (
    ("auth", "User"),
    ("account", "EmailAddress"),
    ("members", "MembershipApplication"),
    ("members", "Invitation"),
)
UNIQUE = {("auth", "User"), ("account", "EmailAddress")}


def _normal(email):
    try:
        return normalise_email(email)
    except ValidationError:
        return None


def normalise_stored_emails(apps, schema_editor):
    for app_label, model_name in EMAIL_FIELDS:
        model = apps.get_model(app_label, model_name)
        for row in model.objects.exclude(email="").only("pk", "email").iterator(chunk_size=2000):
            normal = _normal(row.email)
            if normal is None or normal == row.email:
                continue
            if (app_label, model_name) in UNIQUE and (
                model.objects.filter(email__iexact=normal).exclude(pk=row.pk).exists()
            ):
                continue
            model.objects.filter(pk=row.pk).update(email=normal)


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0007_clean_stored_names"),
        ("account", "0009_emailaddress_unique_primary_email"),
    ]

    operations = [migrations.RunPython(normalise_stored_emails, migrations.RunPython.noop)]
