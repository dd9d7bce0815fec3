"""One topic per existing area of expertise (the five of DESIGN.md with their descriptions),
and on PostgreSQL the GIN index of the posts' search vector."""

from django.db import migrations

DESCRIPTIONS = {
    "identifying-ai-outputs": (
        "Detecting and labelling content produced by AI systems: classifiers, metadata, "
        "their error rates and how they hold up in practice."
    ),
    "human-ai-contributions": (
        "Telling apart and documenting what a person and what an AI system contributed to a "
        "work, an invention or a dataset."
    ),
    "watermarking-provenance": (
        "Watermarks, content credentials and provenance metadata: how they are embedded, how "
        "they survive editing and how they are verified."
    ),
    "standards-tools": (
        "Technical standards, open tools and the interoperability between them, from "
        "metadata schemas to verification services."
    ),
    "ip-office-practice": (
        "How IP offices handle AI in their daily work: examination, registration, records "
        "and the tools they use."
    ),
}


def add_topics(apps, schema_editor):
    ExpertiseArea = apps.get_model("members", "ExpertiseArea")
    Topic = apps.get_model("topics", "Topic")
    for area in ExpertiseArea.objects.all():
        Topic.objects.get_or_create(
            area=area, defaults={"description": DESCRIPTIONS.get(area.slug, "")}
        )


def add_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS topics_post_search_gin "
            "ON topics_post USING gin (search_vector)"
        )


def remove_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS topics_post_search_gin")


class Migration(migrations.Migration):
    dependencies = [
        ("topics", "0001_threads_posts"),
        ("members", "0002_expertise_areas"),
    ]

    operations = [
        migrations.RunPython(add_topics, migrations.RunPython.noop),
        migrations.RunPython(add_search_index, remove_search_index),
    ]
