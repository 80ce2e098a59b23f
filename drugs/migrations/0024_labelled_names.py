"""Labelled names (issue 16): a drug's abbreviations, other market names and experimental codes,
lists of names one per line (drugs.models.NameList) like other_names, which keeps the names that
are none of these.

Search finds them as it finds other_names (migration 0019), among the names:
- PostgreSQL: the stored generated column drugs_drug.search_vector and its GIN index are made
  again with them among the names (weight A).
- SQLite: the FTS5 table keeps its columns; its `other_names` column now holds every list of
  names, one name per line, as the triggers made here feed it; the index is filled again.

The triggers made here are the current ones. A later migration that rebuilds drugs_drug on SQLite
(as AddField and many AlterField operations do) must create them again, with
recreate_sqlite_triggers() below, as 0019's docstring explains. The lists below are frozen, as a
migration's must be: a new NameList or MonographSection needs a migration that recreates the
column and the triggers (tests/test_search.py checks they match the model).
"""

import importlib

from django.db import migrations

import drugs.models

search = importlib.import_module("drugs.migrations.0019_full_text_search")

SECTIONS = search.SECTIONS
NAME_LISTS = ["abbreviations", "other_market_names", "experimental_codes", "other_names"]
NAMES = ["brand_name", "generic_name", *NAME_LISTS]
NAMES_0019 = ["brand_name", "generic_name", "other_names"]

# PostgreSQL ---------------------------------------------------------------------------------


def _search_vector(names):
    return [
        f"""ALTER TABLE drugs_drug ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('drug_search'::regconfig, {search._joined(names)}), 'A')
        || setweight(to_tsvector('drug_search'::regconfig, COALESCE(indication, '')), 'C')
        || setweight(to_tsvector('drug_search'::regconfig, {search._joined(search.OTHER_SECTIONS)}),
            'D')
    ) STORED""",
        "CREATE INDEX drug_search_vector ON drugs_drug USING gin (search_vector)",
    ]


_DROP_SEARCH_VECTOR = [
    "DROP INDEX IF EXISTS drug_search_vector",
    "ALTER TABLE drugs_drug DROP COLUMN IF EXISTS search_vector",
]
POSTGRESQL_FORWARDS = [*_DROP_SEARCH_VECTOR, *_search_vector(NAMES)]
POSTGRESQL_BACKWARDS = [*_DROP_SEARCH_VECTOR, *_search_vector(NAMES_0019)]

# SQLite -------------------------------------------------------------------------------------


def _index(row):
    """As 0019's _index(), with every list of names in the index's `other_names` column."""
    names = " || char(10) || ".join(f"{row}.{name}" for name in NAME_LISTS)
    other_sections = " || char(10) || ".join(f"{row}.{name}" for name in search.OTHER_SECTIONS)
    values = [
        f"lower({row}.brand_name)",
        f"lower({row}.generic_name)",
        f"lower({names})",
        f"lower({row}.indication)",
        f"lower({other_sections})",
    ]
    source, only = ("FROM drugs_drug d ", "") if row == "d" else ("", " WHERE id = NEW.id")
    columns = search._COLUMNS
    return [
        f"INSERT INTO drugs_drug_search_text(id, {columns}) "
        f"SELECT {row}.id, {', '.join(values)} "
        f"{source}WHERE {row}.status = '{search.PUBLISHED}'",
        *(update + only for update in search._folding_passes()),
        f"INSERT INTO drugs_drug_search(rowid, {columns}) "
        f"SELECT id, {columns} FROM drugs_drug_search_text{only}",
    ]


SQLITE_TRIGGERS = [
    search._trigger("drugs_drug_search_insert", "INSERT", _index("NEW")),
    search._trigger(
        "drugs_drug_search_update",
        f"UPDATE OF {', '.join(NAMES)}, status, {', '.join(SECTIONS)}",
        [*search._UNINDEX_OLD, *_index("NEW")],
    ),
    search._trigger("drugs_drug_search_delete", "DELETE", search._UNINDEX_OLD),
]
_EMPTY_INDEX = [
    "INSERT INTO drugs_drug_search(drugs_drug_search) VALUES('delete-all')",
    "DELETE FROM drugs_drug_search_text",
]
SQLITE_FORWARDS = [
    *search._DROP_SQLITE_TRIGGERS,
    *SQLITE_TRIGGERS,
    *_EMPTY_INDEX,
    *_index("d"),
]
# Run when the three columns are gone again: 0019's triggers and index.
SQLITE_BACKWARDS = [
    *search._DROP_SQLITE_TRIGGERS,
    *search.SQLITE_TRIGGERS,
    *_EMPTY_INDEX,
    *search._index("d"),
]


def recreate_sqlite_triggers():
    """The operation a later migration that rebuilds drugs_drug on SQLite must end with:
        search = importlib.import_module("drugs.migrations.0024_labelled_names")
        operations = [..., search.recreate_sqlite_triggers()]
    and, if unapplying it rebuilds drugs_drug too, also begin with. It makes the triggers
    again in both directions. (The index's rows are untouched by a rebuild, which keeps each
    drug's id.)"""
    run = search._run({"sqlite": [*search._DROP_SQLITE_TRIGGERS, *SQLITE_TRIGGERS]})
    return migrations.RunPython(run, run, elidable=False)


class Migration(migrations.Migration):
    dependencies = [("drugs", "0023_drug_image")]

    operations = [
        # Unapplying: the columns below are removed, which rebuilds drugs_drug on SQLite and
        # drops its triggers; then 0019's are made again.
        migrations.RunPython(
            migrations.RunPython.noop,
            search._run({"sqlite": SQLITE_BACKWARDS}),
            elidable=False,
        ),
        migrations.AddField(
            model_name="drug",
            name="abbreviations",
            field=drugs.models.NameList(
                blank=True, help_text="One per line, e.g. DTG.", verbose_name="abbreviation(s)"
            ),
        ),
        migrations.AddField(
            model_name="drug",
            name="experimental_codes",
            field=drugs.models.NameList(
                blank=True,
                help_text="One per line: the codes it had in trials, e.g. CC-4047 or S/GSK1349572.",
                verbose_name="experimental code(s)",
            ),
        ),
        migrations.AddField(
            model_name="drug",
            name="other_market_names",
            field=drugs.models.NameList(
                blank=True,
                help_text="One per line: the brand names it is sold under elsewhere, e.g. Imnovid.",
                verbose_name="other market name(s)",
            ),
        ),
        migrations.AddField(
            model_name="historicaldrug",
            name="abbreviations",
            field=drugs.models.NameList(
                blank=True, help_text="One per line, e.g. DTG.", verbose_name="abbreviation(s)"
            ),
        ),
        migrations.AddField(
            model_name="historicaldrug",
            name="experimental_codes",
            field=drugs.models.NameList(
                blank=True,
                help_text="One per line: the codes it had in trials, e.g. CC-4047 or S/GSK1349572.",
                verbose_name="experimental code(s)",
            ),
        ),
        migrations.AddField(
            model_name="historicaldrug",
            name="other_market_names",
            field=drugs.models.NameList(
                blank=True,
                help_text="One per line: the brand names it is sold under elsewhere, e.g. Imnovid.",
                verbose_name="other market name(s)",
            ),
        ),
        migrations.AlterField(
            model_name="drug",
            name="other_names",
            field=drugs.models.NameList(
                blank=True,
                help_text="One per line: other names that are none of the above.",
                verbose_name="also known as",
            ),
        ),
        migrations.AlterField(
            model_name="historicaldrug",
            name="other_names",
            field=drugs.models.NameList(
                blank=True,
                help_text="One per line: other names that are none of the above.",
                verbose_name="also known as",
            ),
        ),
        # The search index, with the new names among the names.
        migrations.RunPython(
            search._run({"postgresql": POSTGRESQL_FORWARDS, "sqlite": SQLITE_FORWARDS}),
            search._run({"postgresql": POSTGRESQL_BACKWARDS}),
            elidable=False,
        ),
    ]
