"""Site search: one entry point, search(query), over the whole monograph.

A drug is found by its names (brand, generic, listed names such as CC-4047), by a class, company
or cancer type the query names, then by its text, ranked in that order; accents and case never
matter. Each result says why it matched, with the query's words in <mark>. A search costs two
queries (the classes, cancer types and companies, cached and matched in Python; then the drugs),
three for a misspelling ("Did you mean").

PostgreSQL: the GIN-indexed tsvector `drugs_drug.search_vector` in the accent-insensitive
`drug_search` configuration (migrations 0019, 0024), and pg_trgm on names (migration 0003).
SQLite: the FTS5 trigram table `drugs_drug_search`, kept in step by triggers, ranked by bm25.
"""

import json
import re
import unicodedata
from dataclasses import dataclass, field

from django.core.cache import caches
from django.db import connection
from django.db.models import CharField, Value
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst

from .caching import fragment_generation
from .models import (
    DRUG_CARD_FIELDS,
    NAME_LIST_NAMES,
    NAME_LISTS,
    SECTION_NAMES,
    CancerType,
    Company,
    Drug,
    DrugClass,
    PublicationStatus,
)

MAX_QUERY_LENGTH = 200
MAX_DRUG_RESULTS = 50
MAX_OTHER_RESULTS = 10
RANKED_TEXT_MATCHES = 200  # when more drugs mention a word, the first 50 A-Z are ranked
TRIGRAM_THRESHOLD = 0.3  # pg_trgm's default for %: how alike a misspelt drug name must be
NAMED_THRESHOLD = 0.5  # how alike a word must be to a class, cancer type or company word
SQLITE_LOOKALIKE_THRESHOLD = 0.4  # ... to a word of the monographs, on SQLite
SQLITE_LOOKALIKE_CANDIDATES = 30
MIN_SUBSTRING_LENGTH = 3
SNIPPET_CHARS = 160
OTHER_KINDS = {"drug_classes": DrugClass, "cancer_types": CancerType, "companies": Company}
# Words that say nothing about a drug; PostgreSQL's English configuration drops them too.
STOP_WORDS = {"the", "and", "for", "with", "what", "which", "who", "how", "does", "are", "from"}
# How a drug matched a query. Rows are ordered by kind of match, in each database's own order
# (below), then by rank and brand name.
EXACT_NAME, WHOLE_WORD, NAME_START, NAMED, TEXT, NAME_PART = range(6)
# ts_headline marks matches with these private-use characters; the snippet is escaped and
# they become <mark> afterwards, so no text from the database reaches the page unescaped.
MARK_START, MARK_END = "\ue000", "\ue001"
_HEADLINE_OPTIONS = (
    f"StartSel={MARK_START}, StopSel={MARK_END}, MaxWords=28, MinWords=12, "
    'MaxFragments=1, FragmentDelimiter=" … "'
)

_PUBLISHED = f"d.status = '{PublicationStatus.PUBLISHED}'"
_CARD_COLUMNS = ", ".join(f"d.{name}" for name in ("id", *DRUG_CARD_FIELDS, *NAME_LIST_NAMES))
_SECTIONS_TEXT = "concat_ws(E'\\n\\n', " + ", ".join(f"d.{s}" for s in SECTION_NAMES) + ")"
# Each kind's ids, as each database takes a list.
_IN_IDS_POSTGRESQL = {kind: f"= ANY(%({kind})s::bigint[])" for kind in OTHER_KINDS}
_IN_IDS_SQLITE = {kind: f"IN (SELECT value FROM json_each(%({kind})s))" for kind in OTHER_KINDS}
# The drugs listed under the classes, companies and cancer types the query names.
_NAMED = """
  SELECT drug_id AS id FROM drugs_drugclassmembership WHERE drug_class_id {drug_classes}
  UNION SELECT drug_id FROM drugs_drug_companies WHERE company_id {companies}
  UNION SELECT drug_id FROM drugs_drug_cancer_types WHERE cancertype_id {cancer_types}
"""
# On PostgreSQL, the first of them A-Z, as their own pages list them.
_NAMED_POSTGRESQL = f"""
  SELECT d.id FROM drugs_drug d
  WHERE {_PUBLISHED} AND d.id IN ({_NAMED.format_map(_IN_IDS_POSTGRESQL)})
  ORDER BY d.brand_name LIMIT {MAX_DRUG_RESULTS}
"""
_NO_NAMED = "SELECT NULL::bigint AS id WHERE false"
# Which of those a result is listed under, as "kind:id kind:id", to say why it matched.
_NAMED_KEYS = """
CASE WHEN r.found_by = {named} THEN (SELECT {aggregate}(key, ' ') FROM (
  SELECT 'drug_classes:' || drug_class_id AS key FROM drugs_drugclassmembership
    WHERE drug_id = d.id AND drug_class_id {drug_classes}
  UNION ALL SELECT 'companies:' || company_id FROM drugs_drug_companies
    WHERE drug_id = d.id AND company_id {companies}
  UNION ALL SELECT 'cancer_types:' || cancertype_id FROM drugs_drug_cancer_types
    WHERE drug_id = d.id AND cancertype_id {cancer_types}) AS listed) ELSE '' END AS named_keys
"""
_NAMED_KEYS_POSTGRESQL = _NAMED_KEYS.format(
    named=NAMED, aggregate="string_agg", **_IN_IDS_POSTGRESQL
)
_NAMED_KEYS_SQLITE = _NAMED_KEYS.format(named=NAMED, aggregate="group_concat", **_IN_IDS_SQLITE)
# The query as a constant, so that the planner can use the index's statistics for it.
_TSQUERY = "websearch_to_tsquery('drug_search', %(query)s)"
# Candidates are gathered by index: exact and started names, name parts (trigrams), the named
# drugs and the text matches (tsvector). Only they are ranked, so that a broad word ("fatigue")
# reads hundreds of rows, not every drug; only the page's 50 get a headline.
_POSTGRESQL_SQL = f"""
WITH named AS ({{named}}),
text_sample AS (
  SELECT d.id FROM drugs_drug d
  WHERE %(long_enough)s AND {_PUBLISHED} AND d.search_vector @@ {_TSQUERY}
  LIMIT {RANKED_TEXT_MATCHES + 1}
),
texts AS (
  SELECT id FROM text_sample WHERE (SELECT count(*) FROM text_sample) <= {RANKED_TEXT_MATCHES}
  UNION ALL
  (SELECT d.id FROM drugs_drug d
    WHERE (SELECT count(*) FROM text_sample) > {RANKED_TEXT_MATCHES}
      AND {_PUBLISHED} AND d.search_vector @@ {_TSQUERY}
    ORDER BY d.brand_name LIMIT {MAX_DRUG_RESULTS})
),
candidates AS (
  SELECT d.id FROM drugs_drug d WHERE {_PUBLISHED} AND UPPER(d.brand_name) = UPPER(%(query)s)
  UNION SELECT d.id FROM drugs_drug d
    WHERE {_PUBLISHED} AND UPPER(d.generic_name) = UPPER(%(query)s)
  UNION SELECT id FROM drugs_drug WHERE LOWER(brand_name) LIKE %(start)s
  UNION SELECT id FROM drugs_drug WHERE LOWER(generic_name) LIKE %(start)s
  UNION SELECT id FROM drugs_drug WHERE %(long_enough)s AND LOWER(brand_name) LIKE %(part)s
  UNION SELECT id FROM drugs_drug WHERE %(long_enough)s AND LOWER(generic_name) LIKE %(part)s
  UNION SELECT id FROM texts
  UNION SELECT id FROM named
),
matched AS (
  SELECT d.id, d.brand_name, d.search_vector, CASE
      WHEN UPPER(d.brand_name) = UPPER(%(query)s) OR UPPER(d.generic_name) = UPPER(%(query)s)
        THEN {EXACT_NAME}
      WHEN %(long_enough)s AND ts_filter(d.search_vector, '{{{{a}}}}') @@ {_TSQUERY}
        THEN {WHOLE_WORD}
      WHEN LOWER(d.brand_name) LIKE %(start)s OR LOWER(d.generic_name) LIKE %(start)s
        THEN {NAME_START}
      WHEN d.id IN (SELECT id FROM named) THEN {NAMED}
      WHEN d.id IN (SELECT id FROM texts) THEN {TEXT}
      ELSE {NAME_PART} END AS found_by
  FROM drugs_drug d JOIN candidates USING (id)
  WHERE {_PUBLISHED}
),
ranked AS (  -- names and named drugs A-Z, text by rank
  SELECT id, found_by, brand_name, CASE WHEN found_by = {TEXT}
    THEN ts_rank(search_vector, {_TSQUERY}) ELSE 0 END AS rank
  FROM matched
  ORDER BY found_by, rank DESC, brand_name, id
  LIMIT {MAX_DRUG_RESULTS}
)
SELECT {_CARD_COLUMNS}, r.found_by, {_NAMED_KEYS_POSTGRESQL},
  CASE WHEN r.found_by = {TEXT} THEN ts_headline('drug_search', {_SECTIONS_TEXT}, {_TSQUERY},
    %(headline_options)s) ELSE '' END AS headline
FROM ranked r JOIN drugs_drug d USING (id)
ORDER BY r.found_by, r.rank DESC, d.brand_name, d.id
"""
# Closest first. % is pg_trgm's "similarity at least 0.3" (TRIGRAM_THRESHOLD), GIN-indexed on
# LOWER(name) by migration 0003; one subquery per name, so each checks only its own similarity.
_LOOKALIKES_POSTGRESQL = f"""
SELECT {_CARD_COLUMNS}, {NAME_PART} AS found_by, '' AS headline,
  similarity(LOWER(d.brand_name), %(lowered)s) AS brand_similarity,
  similarity(LOWER(d.generic_name), %(lowered)s) AS generic_similarity
FROM drugs_drug d
WHERE {_PUBLISHED} AND d.id IN (
  SELECT id FROM drugs_drug WHERE LOWER(brand_name) %% %(lowered)s
  UNION ALL
  SELECT id FROM drugs_drug WHERE LOWER(generic_name) %% %(lowered)s)
ORDER BY GREATEST(similarity(LOWER(d.brand_name), %(lowered)s),
  similarity(LOWER(d.generic_name), %(lowered)s)) DESC, d.brand_name, d.id
LIMIT {MAX_DRUG_RESULTS}
"""
_SQLITE_SECTIONS = ", ".join(f"d.{name}" for name in SECTION_NAMES)
_BM25 = "bm25(drugs_drug_search, 10.0, 8.0, 6.0, 2.0, 1.0)"  # names, indication, the rest
_SQLITE_HITS = f"""
hits AS (SELECT rowid AS id, {_BM25} AS rank FROM drugs_drug_search
  WHERE drugs_drug_search MATCH %(match)s),
name_hits AS (SELECT rowid AS id FROM drugs_drug_search WHERE drugs_drug_search MATCH %(names)s),
"""
_NO_SQLITE_HITS = """
hits AS (SELECT NULL AS id, NULL AS rank WHERE 0),
name_hits AS (SELECT NULL AS id WHERE 0),
"""
# The trigram index matches any part of a word, so a name part ranks above a class and text.
_SQLITE_SQL = f"""
WITH {{hits}}
named AS ({_NAMED.format_map(_IN_IDS_SQLITE)}),
candidates AS (
  SELECT id FROM hits UNION SELECT id FROM named
  UNION SELECT id FROM drugs_drug
    WHERE LOWER(brand_name) LIKE %(start)s ESCAPE '\\'
      OR LOWER(generic_name) LIKE %(start)s ESCAPE '\\'
),
matched AS (
  SELECT d.id, d.brand_name, hits.rank, CASE
      WHEN UPPER(d.brand_name) = UPPER(%(query)s) OR UPPER(d.generic_name) = UPPER(%(query)s)
        THEN {EXACT_NAME}
      WHEN LOWER(d.brand_name) LIKE %(start)s ESCAPE '\\'
        OR LOWER(d.generic_name) LIKE %(start)s ESCAPE '\\' THEN {NAME_START}
      WHEN d.id IN (SELECT id FROM name_hits) THEN {NAME_PART}
      WHEN d.id IN (SELECT id FROM named) THEN {NAMED}
      ELSE {TEXT} END AS found_by
  FROM drugs_drug d JOIN candidates c ON c.id = d.id LEFT JOIN hits ON hits.id = d.id
  WHERE {_PUBLISHED}
),
ranked AS (  -- names A-Z, classes and text by rank
  SELECT id, found_by, brand_name,
    CASE found_by WHEN {NAME_PART} THEN {NAME_START}.5 ELSE found_by END AS position,
    CASE WHEN found_by IN ({NAMED}, {TEXT}) THEN COALESCE(rank, 0) ELSE 0 END AS rank
  FROM matched
  ORDER BY position, rank, brand_name, id
  LIMIT {MAX_DRUG_RESULTS}
)
SELECT {_CARD_COLUMNS}, {_SQLITE_SECTIONS}, r.found_by, '' AS headline,
  {_NAMED_KEYS_SQLITE}
FROM ranked r JOIN drugs_drug d ON d.id = r.id
ORDER BY r.position, r.rank, d.brand_name, d.id
"""
# Drugs sharing most trigrams with a misspelt query, best first, for Python to pick from.
_LOOKALIKES_SQLITE = f"""
SELECT {_CARD_COLUMNS}, {_SQLITE_SECTIONS}, {NAME_PART} AS found_by, '' AS headline
FROM drugs_drug_search JOIN drugs_drug d ON d.id = drugs_drug_search.rowid
WHERE drugs_drug_search MATCH %(match)s AND {_PUBLISHED}
ORDER BY {_BM25}, d.brand_name
LIMIT {SQLITE_LOOKALIKE_CANDIDATES}
"""


def _accent_folds():
    """Accented Latin letters and the plain lower-case letter each folds to (é -> e, Ö -> o):
    the same table as migration 0019 folds the SQLite index with."""
    for char in map(chr, range(0xC0, 0x180)):
        decomposed = unicodedata.normalize("NFKD", char)
        base = "".join(c for c in decomposed if not unicodedata.combining(c))
        if base != char and len(base) == 1 and base.isascii() and base.isalpha():
            yield char, base.lower()


ACCENT_FOLDS = str.maketrans(dict(_accent_folds()))


def fold(text):
    """Lower case without accents, one character for one, so positions match the original."""
    text = text.translate(ACCENT_FOLDS)
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


@dataclass
class SearchResults:
    query: str = ""
    drugs: list = field(default_factory=list)
    drug_classes: list = field(default_factory=list)
    cancer_types: list = field(default_factory=list)
    companies: list = field(default_factory=list)
    suggestion: str = ""
    problem: str = ""

    @property
    def total(self):
        return sum(map(len, [self.drugs, self.drug_classes, self.cancer_types, self.companies]))


def search(raw_query):
    query = " ".join((raw_query or "").split())
    if not query:
        return SearchResults(problem="empty")
    if len(query) > MAX_QUERY_LENGTH:
        return SearchResults(query=query[:MAX_QUERY_LENGTH], problem="too_long")
    named_rows = _named_rows()
    results = _literal_search(query, named_rows)
    if results.drugs or len(query) < MIN_SUBSTRING_LENGTH or results.total:
        if results.drugs:
            results.suggestion = _completion(results.drugs[0], query)
        return results
    corrected = _corrected_by_named_rows(query, named_rows)
    if corrected:
        results = _literal_search(corrected, named_rows)
        results.query, results.suggestion = query, corrected if results.total else ""
        return results
    if connection.vendor == "postgresql":
        _lookalikes_postgresql(results)
    else:
        _lookalikes_sqlite(results)
    return results


def _named_rows():
    """Every class, cancer type and company with a published drug, as (kind, row) A-Z, cached
    under the content generation, which every edit renews."""

    def read():
        kinds = [
            model.objects.with_published_drugs()
            .order_by()  # ordered once, after the union
            .annotate(kind=Value(kind, output_field=CharField()))
            .values_list("kind", "pk", "name", "slug")
            for kind, model in OTHER_KINDS.items()
        ]
        return list(kinds[0].union(*kinds[1:], all=True).order_by("name"))

    generation = fragment_generation()
    key = f"search-named-rows:{generation}"
    rows = read() if generation is None else caches["fragments"].get_or_set(key, read, 86400)
    return [(kind, OTHER_KINDS[kind](pk=pk, name=name, slug=slug)) for kind, pk, name, slug in rows]


def _words(text):
    return re.findall(r"\w+", fold(text))


def _names(query, named_rows):
    """The rows whose name has a word starting with each of the query's words."""
    query_words = _words(query)
    found = {kind: [] for kind in OTHER_KINDS}
    for kind, row in named_rows:
        name_words = _words(row.name)
        if query_words and all(any(w.startswith(q) for w in name_words) for q in query_words):
            found[kind].append(row)
    return found


def _corrected_by_named_rows(query, named_rows):
    """The query with each word replaced by the most alike word of a class, cancer type or
    company name, if every word has one (such as "myelome" -> "myeloma"); else ""."""
    vocabulary = {}
    for _kind, row in named_rows:
        for word in re.findall(r"\w+", row.name):
            vocabulary.setdefault(fold(word), word.lower())
    corrected = []
    for word in _words(query):
        best = max(vocabulary, key=lambda known: _similarity(known, word), default="")
        if not best or _similarity(best, word) < NAMED_THRESHOLD:
            return ""
        corrected.append(vocabulary[best])
    corrected = " ".join(corrected)
    return corrected if fold(corrected) != " ".join(_words(query)) else ""


def _literal_search(query, named_rows):
    long_enough = len(query) >= MIN_SUBSTRING_LENGTH
    found = _names(query, named_rows)
    results = SearchResults(
        query=query, **{kind: rows[:MAX_OTHER_RESULTS] for kind, rows in found.items()}
    )
    # A short query lists the names starting with it, not their drugs.
    ids = {kind: [row.pk for row in rows] if long_enough else [] for kind, rows in found.items()}
    pattern = connection.ops.prep_for_like_query(query.lower())
    params = {"query": query, "start": f"{pattern}%", "part": f"%{pattern}%"}
    if connection.vendor == "postgresql":
        params |= ids | {"long_enough": long_enough, "headline_options": _HEADLINE_OPTIONS}
        sql = _POSTGRESQL_SQL.format(named=_NAMED_POSTGRESQL if any(ids.values()) else _NO_NAMED)
    else:
        params |= {kind: json.dumps(pks) for kind, pks in ids.items()}
        words = _match_words(query) if long_enough else []
        if words:
            params["match"] = " AND ".join(_phrase(word) for word in words)
            # The index's other_names column holds every list of names (migration 0024).
            params["names"] = f"{{brand_name generic_name other_names}} : ({params['match']})"
        sql = _SQLITE_SQL.format(hits=_SQLITE_HITS if words else _NO_SQLITE_HITS)
    results.drugs = list(Drug.objects.raw(sql, params))
    named = {f"{kind}:{row.pk}": row for kind, rows in found.items() for row in rows}
    _explain(results.drugs, _marked_words(query), named)
    return results


def _marked_words(query):
    """The query's words as a reader sees them, such as "cc-4047", folded: what <mark> shows."""
    words = [word.strip("\"'()[]{}?!.,;:") for word in fold(query).split()]
    return [word for word in words if word and word not in STOP_WORDS]


def _match_words(query):
    """The query's words an FTS5 trigram index can look for: three characters or more."""
    return [word for word in _marked_words(query) if len(word) >= 3]


def _phrase(text):
    return '"' + text.replace('"', '""') + '"'


def _lookalikes_postgresql(results):
    lowered = results.query.lower()
    results.drugs = list(Drug.objects.raw(_LOOKALIKES_POSTGRESQL, {"lowered": lowered}))
    if results.drugs:
        best = results.drugs[0]
        closer_to_brand = best.brand_similarity >= best.generic_similarity
        results.suggestion = best.brand_name if closer_to_brand else best.generic_name
        _explain(results.drugs, _marked_words(results.suggestion), {})


def _lookalikes_sqlite(results):
    words = _match_words(results.query)
    trigrams = {word[i : i + 3] for word in words for i in range(len(word) - 2)}
    match = " OR ".join(_phrase(trigram) for trigram in sorted(trigrams))
    candidates = list(Drug.objects.raw(_LOOKALIKES_SQLITE, {"match": match})) if match else []
    if not candidates:
        return
    names = {
        drug.pk: " ".join([drug.brand_name, drug.generic_name, *_listed_names(drug)])
        for drug in candidates
    }
    # The words the candidates are written with, names first: a name wins a tie.
    vocabulary = {}
    for drug in candidates:
        for word in re.findall(r"[\w-]+", names[drug.pk]):
            vocabulary.setdefault(fold(word), (word, 0.01))
    for drug in candidates:
        for section in SECTION_NAMES:
            for word in re.findall(r"\w+", _plain(getattr(drug, section))):
                vocabulary.setdefault(fold(word), (word, 0.0))
    corrected = []
    for word in words:
        best = max(vocabulary, key=lambda known: _similarity(known, word) + vocabulary[known][1])
        if _similarity(best, word) < SQLITE_LOOKALIKE_THRESHOLD:
            return
        corrected.append(best)
    results.suggestion = " ".join(vocabulary[word][0] for word in corrected)
    documents = {
        drug.pk: " ".join([names[drug.pk], *(getattr(drug, s) for s in SECTION_NAMES)])
        for drug in candidates
    }
    names_first = sorted(
        (drug for drug in candidates if _contains_all(documents[drug.pk], corrected)),
        key=lambda drug: not _contains_all(names[drug.pk], corrected),
    )
    results.drugs = names_first[:MAX_DRUG_RESULTS]
    _explain(results.drugs, corrected, {})


def _listed_names(drug):
    return [name for names in NAME_LISTS for name in names.names(drug)]


def _contains_all(text, words):
    folded = fold(text)
    return all(word in folded for word in words)


def _explain(drugs, words, named):
    """Set each drug's `search_match`: HTML saying why it matched, or "" when its brand or
    generic name (shown anyway) does."""
    for drug in drugs:
        drug.search_match = _why_matched(drug, words, named)


def _why_matched(drug, words, named):
    if not words or _contains_all(f"{drug.brand_name} {drug.generic_name}", words):
        return ""
    for names in NAME_LISTS:
        found = [name for name in names.names(drug) if any(w in fold(name) for w in words)]
        if found:
            return _labelled(capfirst(names.label(len(found))), found, words)
    for key in (getattr(drug, "named_keys", "") or "").split():
        if key in named:
            return _labelled(capfirst(named[key]._meta.verbose_name), [named[key].name], words)
    if getattr(drug, "headline", ""):
        return _marked_headline(drug.headline)
    if SECTION_NAMES[0] not in drug.get_deferred_fields():  # read by the query (SQLite)
        return _snippet(drug, words)
    return ""


def _labelled(label, texts, words):
    marked = format_html_join("; ", "{}", ((_highlight(text, words),) for text in texts))
    return format_html("{}: {}", label, marked)


def _highlight(text, words):
    """`text` escaped, with every occurrence of the (folded) words in <mark>."""
    folded = fold(text)
    spans = sorted(
        (match.start(), match.start() + len(word))
        for word in set(words)
        if word
        for match in re.finditer(re.escape(word), folded)
    )
    marked, position = [], 0  # (text before a match, the match)
    for start, end in spans:
        start = max(start, position)
        if start < end:
            marked.append((text[position:start], text[start:end]))
            position = end
    return format_html("{}{}", format_html_join("", "{}<mark>{}</mark>", marked), text[position:])


def _marked_headline(headline):
    """ts_headline's fragment, escaped, with its match markers turned into <mark>."""
    first, *marked = _plain(headline).split(MARK_START)
    pairs = (piece.partition(MARK_END)[::2] for piece in marked)  # (match, text after it)
    return format_html("…{}{}…", first, format_html_join("", "<mark>{}</mark>{}", pairs))


def _snippet(drug, words):
    """Some words around the first place a section mentions the query, on SQLite."""
    for section in SECTION_NAMES:
        text = _plain(getattr(drug, section))
        folded = fold(text)
        positions = [folded.find(word) for word in words if word in folded]
        if not positions:
            continue
        start = max(0, min(positions) - SNIPPET_CHARS // 3)
        start = 0 if start == 0 else text.find(" ", start) + 1
        end = text.find(" ", min(len(text), start + SNIPPET_CHARS))
        end = len(text) if end == -1 else end
        html = _highlight(text[start:end], words)
        before, after = "…" if start else "", "…" if end < len(text) else ""
        return format_html("{}{}{}", before, html, after)
    return ""


def _plain(markdown):
    """Markdown as plain words, enough for a snippet: links as their text, no emphasis marks."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", markdown or "")
    text = re.sub(r"^\s*(?:[#>]+|[-*+]|\d+\.)\s+", "", text, flags=re.M)
    text = re.sub(r"[*_`]{1,3}(?=\S)|(?<=\S)[*_`]{1,3}", "", text)
    return " ".join(text.split())


def _completion(best, query):
    """The name the reader is probably still typing, when the best match only starts with it
    (or, on PostgreSQL, matched it once stemmed: "pomalidomid")."""
    if best.found_by not in (WHOLE_WORD, NAME_START):
        return ""
    lowered = query.lower()
    started = [
        name
        for name in (best.brand_name, best.generic_name)
        if name.lower().startswith(lowered) and lowered not in name.lower().split()
    ]
    if not started:
        return ""
    name = max(started, key=lambda name: _similarity(name, lowered))
    return name if _similarity(name, lowered) >= TRIGRAM_THRESHOLD else ""


def _similarity(name, lowered_query):
    """Trigram overlap in Python, as pg_trgm's similarity() counts it."""

    def trigrams(text):
        padded = f"  {text.lower()} "
        return {padded[i : i + 3] for i in range(len(padded) - 2)}

    a, b = trigrams(name), trigrams(lowered_query)
    return len(a & b) / len(a | b) if a | b else 0.0
