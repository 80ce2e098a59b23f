"""PostgreSQL indexes for the A-Z listing's case-insensitive prefix match (istartswith).

Django compares UPPER(name) LIKE UPPER('B%'); a text_pattern_ops index on UPPER(name) lets
PostgreSQL answer with an index range scan instead of reading every drug. Nothing on SQLite.
"""

from django.contrib.postgres.indexes import OpClass
from django.db import migrations, models
from django.db.models.functions import Upper


def prefix_indexes():
    return [
        models.Index(
            OpClass(Upper("brand_name"), name="text_pattern_ops"), name="drug_brand_prefix"
        ),
        models.Index(
            OpClass(Upper("generic_name"), name="text_pattern_ops"), name="drug_generic_prefix"
        ),
    ]


def add_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    drug = apps.get_model("drugs", "Drug")
    for index in prefix_indexes():
        schema_editor.add_index(drug, index)


def remove_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    drug = apps.get_model("drugs", "Drug")
    for index in prefix_indexes():
        schema_editor.remove_index(drug, index)


class Migration(migrations.Migration):
    dependencies = [("drugs", "0006_drug_relation_history")]

    operations = [migrations.RunPython(add_indexes, remove_indexes, elidable=False)]
