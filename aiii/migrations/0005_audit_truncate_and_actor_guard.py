from django.conf import settings
from django.db import migrations

# Two gaps of 0003's append-only trigger, closed in the database:
# - TRUNCATE, which row triggers do not see, is refused by a statement trigger. The one
#   exception is the test run (pytest-django empties a test database with TRUNCATE between
#   tests): only in a database named test_… and only on a connection that sets
#   aiii.audit_truncate = 'allow' (aiii/settings_test.py does).
# - The actor link may become NULL only when the account it points to is deleted. Django's
#   on_delete=SET_NULL runs that UPDATE before the DELETE of the account, in the same
#   transaction, so the check is a deferred constraint trigger: at commit, the account must be
#   gone. Whoever sets actor_id to NULL while the account exists has the commit refused.
# PostgreSQL only, like 0003.
CREATE = """
CREATE OR REPLACE FUNCTION aiii_audit_entry_no_truncate() RETURNS trigger AS $$
BEGIN
    IF current_database() LIKE 'test\\_%%'
       AND current_setting('aiii.audit_truncate', true) = 'allow' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION USING MESSAGE = 'Audit entries are append-only (TRUNCATE refused).';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER aiii_audit_entry_no_truncate
    BEFORE TRUNCATE ON aiii_auditentry
    FOR EACH STATEMENT EXECUTE FUNCTION aiii_audit_entry_no_truncate();

CREATE OR REPLACE FUNCTION aiii_audit_entry_actor_gone() RETURNS trigger AS $$
BEGIN
    IF OLD.actor_id IS NOT NULL AND NEW.actor_id IS NULL
       AND EXISTS (SELECT 1 FROM {user_table} WHERE id = OLD.actor_id) THEN
        RAISE EXCEPTION USING MESSAGE =
            'Audit entries are append-only (the actor may only be unlinked when the account '
            'is deleted).';
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE CONSTRAINT TRIGGER aiii_audit_entry_actor_gone
    AFTER UPDATE OF actor_id ON aiii_auditentry
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION aiii_audit_entry_actor_gone();
"""
DROP = """
DROP TRIGGER IF EXISTS aiii_audit_entry_actor_gone ON aiii_auditentry;
DROP FUNCTION IF EXISTS aiii_audit_entry_actor_gone();
DROP TRIGGER IF EXISTS aiii_audit_entry_no_truncate ON aiii_auditentry;
DROP FUNCTION IF EXISTS aiii_audit_entry_no_truncate();
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    user_table = apps.get_model(settings.AUTH_USER_MODEL)._meta.db_table
    schema_editor.execute(CREATE.format(user_table=schema_editor.quote_name(user_table)))


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("aiii", "0004_outbox_sensitive_and_purge"),
    ]

    operations = [migrations.RunPython(create, drop)]
