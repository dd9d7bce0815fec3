from django.db import migrations

# The audit log is append-only in the database too, not only in the model: an UPDATE or DELETE
# of an entry fails, whoever sends it. The one change allowed is the foreign key to a deleted
# account becoming NULL (on_delete=SET_NULL); the entry keeps who it was in actor_label.
# PostgreSQL only: production runs on it. (Test databases are emptied with TRUNCATE, which
# row triggers do not see.)
CREATE = """
CREATE OR REPLACE FUNCTION aiii_audit_entry_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND NEW.actor_id IS NULL
       AND (to_jsonb(NEW) - 'actor_id') = (to_jsonb(OLD) - 'actor_id') THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION USING MESSAGE = 'Audit entries are append-only (' || TG_OP || ' refused).';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER aiii_audit_entry_append_only
    BEFORE UPDATE OR DELETE ON aiii_auditentry
    FOR EACH ROW EXECUTE FUNCTION aiii_audit_entry_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS aiii_audit_entry_append_only ON aiii_auditentry;
DROP FUNCTION IF EXISTS aiii_audit_entry_append_only();
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("aiii", "0002_outbox_next_attempt_at")]

    operations = [migrations.RunPython(create, drop)]
