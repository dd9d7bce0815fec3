from django.db import migrations


class Migration(migrations.Migration):
    """One account per email address, whatever its case, even when two applications race.

    allauth's own uniqueness covers verified addresses only; applications create unverified ones.
    """

    dependencies = [
        ("members", "0003_role_groups"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.RunSQL(
            "CREATE UNIQUE INDEX members_user_email_ci ON auth_user (LOWER(email)) WHERE email <> ''",
            "DROP INDEX members_user_email_ci",
        )
    ]
