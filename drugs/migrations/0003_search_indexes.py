"""PostgreSQL search indexes: pg_trgm for typo-tolerant names, GIN for full-text search.

On other databases (SQLite in development) this does nothing: search falls back to a
case-insensitive match there. The expressions must stay identical to drugs/search.py's so
PostgreSQL uses the indexes.
"""

from django.contrib.postgres.indexes import GinIndex, OpClass
from django.contrib.postgres.operations import TrigramExtension
from django.contrib.postgres.search import SearchVector
from django.db import migrations
from django.db.models.functions import Lower


def search_indexes():
    return [
        GinIndex(
            SearchVector("brand_name", "generic_name", "other_names", config="simple"),
            name="drug_search_vector_gin",
        ),
        GinIndex(OpClass(Lower("brand_name"), name="gin_trgm_ops"), name="drug_brand_trgm"),
        GinIndex(OpClass(Lower("generic_name"), name="gin_trgm_ops"), name="drug_generic_trgm"),
    ]


def add_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    drug = apps.get_model("drugs", "Drug")
    for index in search_indexes():
        schema_editor.add_index(drug, index)


def remove_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    drug = apps.get_model("drugs", "Drug")
    for index in search_indexes():
        schema_editor.remove_index(drug, index)


class Migration(migrations.Migration):
    dependencies = [("drugs", "0002_readers_and_editorial")]

    operations = [
        TrigramExtension(),
        migrations.RunPython(add_indexes, remove_indexes, elidable=False),
    ]
