from django.db import migrations

AREAS = [
    ("identifying-ai-outputs", "Identifying AI-generated outputs"),
    ("human-ai-contributions", "Human and AI contributions"),
    ("watermarking-provenance", "Watermarking and provenance"),
    ("standards-tools", "Standards, tools and interoperability"),
    ("ip-office-practice", "Operational practice in IP offices"),
]


def add_areas(apps, schema_editor):
    ExpertiseArea = apps.get_model("members", "ExpertiseArea")
    for position, (slug, name) in enumerate(AREAS):
        ExpertiseArea.objects.update_or_create(
            slug=slug, defaults={"name": name, "position": position}
        )


def remove_areas(apps, schema_editor):
    apps.get_model("members", "ExpertiseArea").objects.filter(
        slug__in=[s for s, _ in AREAS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("members", "0001_initial")]

    operations = [migrations.RunPython(add_areas, remove_areas)]
