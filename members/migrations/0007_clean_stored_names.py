from django.db import migrations

from aiii.text import clean_name

# Names stored before aiii.text.clean_name guarded the forms: the same cleaning, with the
# direction controls a form would refuse removed instead (nobody is there to retype them).
# Audit entries keep what they recorded: the log is append-only.
NAME_FIELDS = {
    ("members", "Profile"): ("full_name", "organisation"),
    ("members", "MembershipApplication"): ("full_name", "organisation"),
    ("members", "Invitation"): ("full_name",),
    ("auth", "User"): ("first_name", "last_name"),
}


def clean_stored_names(apps, schema_editor):
    for (app_label, model_name), fields in NAME_FIELDS.items():
        model = apps.get_model(app_label, model_name)
        changed = []
        for row in model.objects.only("pk", *fields).iterator(chunk_size=2000):
            before = [getattr(row, field) for field in fields]
            for field in fields:
                setattr(row, field, clean_name(getattr(row, field), refuse=False))
            if [getattr(row, field) for field in fields] != before:
                changed.append(row)
        model.objects.bulk_update(changed, fields, batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0006_text_max_lengths"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(clean_stored_names, migrations.RunPython.noop)]
