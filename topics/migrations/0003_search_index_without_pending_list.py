"""On PostgreSQL, the GIN index of the posts' search vector takes each post into the index at
once (fastupdate off) instead of first into a pending list.

Entries in the pending list are read one by one by every search until a vacuum moves them into
the index. After the large demo's bulk load (and on a server without autovacuum) the list held
60,000 posts: a search then took 50 ms, and the planner chose to scan the whole table. Posts
arrive one at a time, so taking each into the index at once costs little; searches stay
fast whatever the vacuum's schedule. What the list holds now is moved into the index."""

from django.db import migrations

INDEX = "topics_post_search_gin"


def index_at_once(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER INDEX IF EXISTS {INDEX} SET (fastupdate = off)")
        schema_editor.execute(
            f"SELECT gin_clean_pending_list(c.oid) FROM pg_class c WHERE c.relname = '{INDEX}'"
        )


def pending_list_again(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER INDEX IF EXISTS {INDEX} RESET (fastupdate)")


class Migration(migrations.Migration):
    dependencies = [("topics", "0002_topics_for_areas")]

    operations = [migrations.RunPython(index_at_once, pending_list_again)]
