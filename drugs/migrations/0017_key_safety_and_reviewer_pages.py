from django.contrib.postgres.indexes import OpClass
from django.db import migrations, models
from django.db.models.functions import Upper
from django.utils.text import slugify

import drugs.models

PUBLISHED = models.Q(status="published")


def slug_reviewers(apps, schema_editor):
    """Each existing reviewer gets a slug from their name, unique (jane-doe, jane-doe-2, ...)."""
    taken = set()
    for reviewer in apps.get_model("drugs", "Reviewer").objects.order_by("pk"):
        base = slugify(reviewer.name)[:190] or "unnamed"
        slug, number = base, 2
        while slug in taken:
            slug, number = f"{base}-{number}", number + 1
        taken.add(slug)
        reviewer.slug = slug
        reviewer.save(update_fields=["slug"])


def card_indexes(card_fields):
    """The covering indexes of drug cards (migration 0011) and of the A-Z (migration 0008),
    holding `card_fields` too: drug cards and A-Z entries now show the approval status."""
    return [
        models.Index(
            fields=["brand_name"],
            include=["id", "slug", "generic_name", "summary", *card_fields],
            condition=PUBLISHED,
            name="drug_cards",
        ),
        models.Index(
            OpClass(Upper("brand_name"), name="text_pattern_ops"),
            include=["brand_name", "slug", *card_fields],
            condition=PUBLISHED,
            name="drug_az_brand",
        ),
        models.Index(
            OpClass(Upper("generic_name"), name="text_pattern_ops"),
            include=["generic_name", "brand_name", "slug", *card_fields],
            condition=PUBLISHED,
            name="drug_az_generic",
        ),
    ]


def swap_indexes(old_fields, new_fields):
    def swap(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        drug = apps.get_model("drugs", "Drug")
        for index in card_indexes(old_fields):
            schema_editor.remove_index(drug, index)
        for index in card_indexes(new_fields):
            schema_editor.add_index(drug, index)

    return swap


class Migration(migrations.Migration):
    dependencies = [
        ("drugs", "0016_working_copies"),
    ]

    operations = [
        migrations.AddField(
            model_name="drug",
            name="boxed_warning",
            field=drugs.models.MonographSection(
                blank=True,
                help_text="Markdown. The FDA boxed warning in plain words, if the label has one: "
                "the most serious risks. Shown in a warning box above everything else on the "
                "page.",
                verbose_name="key safety information",
            ),
        ),
        migrations.AddField(
            model_name="historicaldrug",
            name="boxed_warning",
            field=drugs.models.MonographSection(
                blank=True,
                help_text="Markdown. The FDA boxed warning in plain words, if the label has one: "
                "the most serious risks. Shown in a warning box above everything else on the "
                "page.",
                verbose_name="key safety information",
            ),
        ),
        migrations.AddField(
            model_name="reviewer",
            name="bio",
            field=models.TextField(
                blank=True,
                help_text="Plain text, optional: a few sentences on the reviewer's training and "
                "practice, shown on their page.",
            ),
        ),
        # The slug in three steps: added without the unique constraint, filled in, then unique.
        migrations.AddField(
            model_name="reviewer",
            name="slug",
            field=models.SlugField(blank=True, max_length=200, db_index=False),
        ),
        migrations.RunPython(slug_reviewers, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="reviewer",
            name="slug",
            field=models.SlugField(
                blank=True,
                help_text="The address of the reviewer's page: /reviewers/<slug>/. Made from the "
                "name when left blank.",
                max_length=200,
                unique=True,
            ),
        ),
        migrations.RunPython(
            swap_indexes([], ["approval_status"]),
            swap_indexes(["approval_status"], []),
            elidable=False,
        ),
    ]
