"""Full-text search over the whole monograph (drugs/search.py).

PostgreSQL: the `unaccent` extension, a `drug_search` text search configuration (English with
accents removed before stemming), and `drugs_drug.search_vector`, a stored generated tsvector of
the drug's names (weight A), indication (C) and other sections (D), GIN-indexed. It replaces the
names-only `drug_search_vector_gin` index of migration 0003.

SQLite: `drugs_drug_search`, an FTS5 index with the trigram tokenizer over each published
drug's names and sections with accents folded (SQLite 3.40's trigram tokenizer cannot remove
diacritics), an external-content table reading `drugs_drug_search_text`, the folded text. Both
are kept in step by triggers on drugs_drug, so bulk_create() and raw updates are indexed too;
the triggers read only drugs_drug's own row, so Django can still rebuild the other tables.
A migration that rebuilds drugs_drug on SQLite (Django does so for many AlterField and AddField
operations) drops these triggers with the table: it must create them again, with
recreate_sqlite_triggers() of the migration that made them last
(tests/test_search.py::test_the_index_follows_edits fails until it does). That is now
0024_labelled_names, which put the labelled names into the index: the current column and
triggers are defined there; use its recreate_sqlite_triggers(), not the one below.

The section lists below are frozen here, as a migration must be: a new MonographSection needs a
migration that recreates the column and the triggers (tests/test_search.py checks they match).
"""

import unicodedata

from django.contrib.postgres.operations import UnaccentExtension
from django.db import migrations

SECTIONS = [
    "boxed_warning",
    "indication",
    "general_info",
    "dosage",
    "side_effects",
    "drug_interactions",
    "other_info",
]
OTHER_SECTIONS = [name for name in SECTIONS if name != "indication"]
PUBLISHED = "published"

# PostgreSQL ---------------------------------------------------------------------------------


def _joined(columns):
    return " || ' ' || ".join(f"COALESCE({column}, '')" for column in columns)


POSTGRESQL_FORWARDS = [
    "CREATE TEXT SEARCH CONFIGURATION drug_search (COPY = english)",
    "ALTER TEXT SEARCH CONFIGURATION drug_search "
    "ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem",
    f"""ALTER TABLE drugs_drug ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('drug_search'::regconfig,
            {_joined(["brand_name", "generic_name", "other_names"])}), 'A')
        || setweight(to_tsvector('drug_search'::regconfig, COALESCE(indication, '')), 'C')
        || setweight(to_tsvector('drug_search'::regconfig, {_joined(OTHER_SECTIONS)}), 'D')
    ) STORED""",
    "CREATE INDEX drug_search_vector ON drugs_drug USING gin (search_vector)",
    "DROP INDEX IF EXISTS drug_search_vector_gin",
]
POSTGRESQL_BACKWARDS = [
    "CREATE INDEX drug_search_vector_gin ON drugs_drug USING gin (to_tsvector('simple'::regconfig,"
    " COALESCE(brand_name, '') || ' ' || COALESCE(generic_name, '') || ' '"
    " || COALESCE(other_names, '')))",
    "ALTER TABLE drugs_drug DROP COLUMN search_vector",
    "DROP TEXT SEARCH CONFIGURATION drug_search",
]

# SQLite -------------------------------------------------------------------------------------


def accent_folds():
    """Accented Latin letters and the plain lower-case letter each folds to (é -> e, Ö -> o):
    the same table as drugs.search.ACCENT_FOLDS."""
    folds = {}
    for code in range(0xC0, 0x180):
        char = chr(code)
        decomposed = unicodedata.normalize("NFKD", char)
        base = "".join(c for c in decomposed if not unicodedata.combining(c))
        if base != char and len(base) == 1 and base.isascii() and base.isalpha():
            folds[char] = base.lower()
    return folds


# SQLite's parser nests at most about 30 function calls, so the folding is done a few letters
# at a time, in place, in the text table.
FOLDS_PER_PASS = 20
TEXT_COLUMNS = ["brand_name", "generic_name", "other_names", "indication", "other_sections"]
_COLUMNS = ", ".join(TEXT_COLUMNS)


def _folding_passes():
    folds = list(accent_folds().items())
    for first in range(0, len(folds), FOLDS_PER_PASS):
        assignments = []
        for column in TEXT_COLUMNS:
            expression = column
            for char, base in folds[first : first + FOLDS_PER_PASS]:
                expression = f"replace({expression}, '{char}', '{base}')"
            assignments.append(f"{column} = {expression}")
        yield f"UPDATE drugs_drug_search_text SET {', '.join(assignments)}"


def _index(row):
    """Statements indexing every published drug (`row` "d") or the one just saved ("NEW")."""
    other_sections = " || char(10) || ".join(f"{row}.{name}" for name in OTHER_SECTIONS)
    names = ", ".join(f"lower({row}.{name})" for name in TEXT_COLUMNS[:4])
    source, only = ("FROM drugs_drug d ", "") if row == "d" else ("", " WHERE id = NEW.id")
    return [
        f"INSERT INTO drugs_drug_search_text(id, {_COLUMNS}) "
        f"SELECT {row}.id, {names}, lower({other_sections}) "
        f"{source}WHERE {row}.status = '{PUBLISHED}'",
        *(update + only for update in _folding_passes()),
        f"INSERT INTO drugs_drug_search(rowid, {_COLUMNS}) "
        f"SELECT id, {_COLUMNS} FROM drugs_drug_search_text{only}",
    ]


_UNINDEX_OLD = [
    f"INSERT INTO drugs_drug_search(drugs_drug_search, rowid, {_COLUMNS}) "
    f"SELECT 'delete', id, {_COLUMNS} FROM drugs_drug_search_text WHERE id = OLD.id",
    "DELETE FROM drugs_drug_search_text WHERE id = OLD.id",
]


def _trigger(name, event, statements):
    body = "".join(f"    {statement};\n" for statement in statements)
    return f"CREATE TRIGGER {name} AFTER {event} ON drugs_drug BEGIN\n{body}END"


SQLITE_TRIGGERS = [
    _trigger("drugs_drug_search_insert", "INSERT", _index("NEW")),
    _trigger(
        "drugs_drug_search_update",
        f"UPDATE OF brand_name, generic_name, other_names, status, {', '.join(SECTIONS)}",
        [*_UNINDEX_OLD, *_index("NEW")],
    ),
    _trigger("drugs_drug_search_delete", "DELETE", _UNINDEX_OLD),
]
SQLITE_FORWARDS = [
    # The accent-folded text of each published drug; the index reads it as its content.
    f"""CREATE TABLE drugs_drug_search_text (
        id integer NOT NULL PRIMARY KEY,
        {", ".join(f"{column} text NOT NULL" for column in TEXT_COLUMNS)})""",
    f"CREATE VIRTUAL TABLE drugs_drug_search USING fts5({_COLUMNS}, "
    "content='drugs_drug_search_text', content_rowid='id', tokenize='trigram')",
    *_index("d"),
    *SQLITE_TRIGGERS,
]
_DROP_SQLITE_TRIGGERS = [
    "DROP TRIGGER IF EXISTS drugs_drug_search_insert",
    "DROP TRIGGER IF EXISTS drugs_drug_search_update",
    "DROP TRIGGER IF EXISTS drugs_drug_search_delete",
]
SQLITE_BACKWARDS = [
    *_DROP_SQLITE_TRIGGERS,
    "DROP TABLE IF EXISTS drugs_drug_search",
    "DROP TABLE IF EXISTS drugs_drug_search_text",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement, params=None)

    return run


def recreate_sqlite_triggers():
    """The operation a later migration that rebuilds drugs_drug on SQLite must end with:
        search = importlib.import_module("drugs.migrations.0019_full_text_search")
        operations = [..., search.recreate_sqlite_triggers()]
    (The index's rows are untouched by a rebuild, which keeps each drug's id.)"""
    statements = {"sqlite": [*_DROP_SQLITE_TRIGGERS, *SQLITE_TRIGGERS]}
    return migrations.RunPython(_run(statements), migrations.RunPython.noop, elidable=False)


class Migration(migrations.Migration):
    dependencies = [("drugs", "0018_scheduled_publishing")]

    operations = [
        UnaccentExtension(),  # does nothing on SQLite
        migrations.RunPython(
            _run({"postgresql": POSTGRESQL_FORWARDS, "sqlite": SQLITE_FORWARDS}),
            _run({"postgresql": POSTGRESQL_BACKWARDS, "sqlite": SQLITE_BACKWARDS}),
            elidable=False,
        ),
    ]
