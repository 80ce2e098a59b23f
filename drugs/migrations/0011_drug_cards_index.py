from django.db import migrations, models


def cards_index():
    """Class and cancer-type pages: published drugs in brand-name order, holding what a card
    shows, so PostgreSQL walks the index alone until it has found a page of the class (it
    read each drug's row on the way before: ~190 rows for the first page of a large class)."""
    return models.Index(
        fields=["brand_name"],
        include=["id", "slug", "generic_name", "summary"],
        condition=models.Q(status="published"),
        name="drug_cards",
    )


def add(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_index(apps.get_model("drugs", "Drug"), cards_index())


def remove(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("drugs", "Drug"), cards_index())


class Migration(migrations.Migration):
    dependencies = [
        ("drugs", "0010_leading_drugs"),
    ]

    operations = [migrations.RunPython(add, remove)]
