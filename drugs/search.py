"""Site search: one entry point, search(query).

Drugs are found best first: an exact brand or generic name, a whole word of any name (such as
the code CC-4047), a name starting with the query, then one containing it; A-Z within each.
Under three characters only whole words and name starts match: trigram indexes cannot help.

On PostgreSQL, names spelled alike (pg_trgm) are looked for, as "Did you mean", only when nothing
matches literally, as that reads every lookalike name. Elsewhere (SQLite in development): a
case-insensitive substring match. A search costs two queries (three for a misspelling); the
PostgreSQL drug queries are SQL because building them with the ORM took longer than running them.
"""

from dataclasses import dataclass, field

from django.db import connection
from django.db.models import CharField, Q, Value

from .models import DRUG_CARD_FIELDS, CancerType, Company, Drug, DrugClass, PublicationStatus

MAX_QUERY_LENGTH = 200
MAX_DRUG_RESULTS = 50
MAX_OTHER_RESULTS = 10
TRIGRAM_THRESHOLD = 0.3
MIN_SUBSTRING_LENGTH = 3
OTHER_KINDS = {"drug_classes": DrugClass, "cancer_types": CancerType, "companies": Company}

# How a drug matched a query, best first.
EXACT_NAME, WHOLE_WORD, NAME_START, NAME_PART = range(4)

_CARD_COLUMNS = "id, " + ", ".join(DRUG_CARD_FIELDS)
_PUBLISHED = f"status = '{PublicationStatus.PUBLISHED}'"
# One small query per kind of match, each A-Z and stopping at the 50th drug: PostgreSQL walks the
# brand-name index for a broad query such as "mab" instead of ranking the thousands it matches.
# A drug found by several kinds keeps its best (see _literal_drug_matches). The expressions are
# those of the indexes in migrations 0003 (full text, LOWER(name) trigrams) and 0007 (UPPER(name)),
# so PostgreSQL uses them.
_LITERAL_MATCHES_SQL = f"""
(SELECT {_CARD_COLUMNS}, {EXACT_NAME} AS match FROM drugs_drug
  WHERE {_PUBLISHED}
    AND (UPPER(brand_name) = UPPER(%(query)s) OR UPPER(generic_name) = UPPER(%(query)s))
  ORDER BY brand_name, id LIMIT {MAX_DRUG_RESULTS})
UNION ALL
(SELECT {_CARD_COLUMNS}, {WHOLE_WORD} FROM drugs_drug
  WHERE {_PUBLISHED} AND to_tsvector('simple'::regconfig, COALESCE(brand_name, '') || ' '
    || COALESCE(generic_name, '') || ' ' || COALESCE(other_names, ''))
    @@ websearch_to_tsquery('simple'::regconfig, %(query)s)
  ORDER BY brand_name, id LIMIT {MAX_DRUG_RESULTS})
UNION ALL
(SELECT {_CARD_COLUMNS}, {NAME_START} FROM drugs_drug
  WHERE {_PUBLISHED} AND (LOWER(brand_name) LIKE %(start)s OR LOWER(generic_name) LIKE %(start)s)
  ORDER BY brand_name, id LIMIT {MAX_DRUG_RESULTS})
UNION ALL
(SELECT {_CARD_COLUMNS}, {NAME_PART} FROM drugs_drug
  WHERE {_PUBLISHED} AND %(long_enough)s
    AND (LOWER(brand_name) LIKE %(part)s OR LOWER(generic_name) LIKE %(part)s)
  ORDER BY brand_name, id LIMIT {MAX_DRUG_RESULTS})
ORDER BY match, brand_name, id
"""
# Closest first. % is pg_trgm's "similarity at least 0.3" (TRIGRAM_THRESHOLD), GIN-indexed on
# LOWER(name) by migration 0003; one subquery per name, so each checks only its own similarity.
_LOOKALIKES_SQL = f"""
SELECT {_CARD_COLUMNS},
  similarity(LOWER(brand_name), %(lowered)s) AS brand_similarity,
  similarity(LOWER(generic_name), %(lowered)s) AS generic_similarity
FROM drugs_drug
WHERE {_PUBLISHED} AND id IN (
  SELECT id FROM drugs_drug WHERE LOWER(brand_name) %% %(lowered)s
  UNION ALL
  SELECT id FROM drugs_drug WHERE LOWER(generic_name) %% %(lowered)s)
ORDER BY GREATEST(similarity(LOWER(brand_name), %(lowered)s),
  similarity(LOWER(generic_name), %(lowered)s)) DESC, brand_name, id
LIMIT {MAX_DRUG_RESULTS}
"""


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
    on_postgresql = connection.vendor == "postgresql"
    results = SearchResults(query=query, **_other_matches(query, fuzzy=on_postgresql))
    if on_postgresql:
        _find_drugs_postgresql(results)
    else:
        results.drugs = list(_substring_drug_matches(query))
    return results


def _substring_drug_matches(query):
    """Elsewhere than PostgreSQL: exact names, then name starts, then any name containing it."""
    starts = Q(brand_name__istartswith=query) | Q(generic_name__istartswith=query)
    if len(query) < MIN_SUBSTRING_LENGTH:
        condition = starts
    else:
        condition = (
            Q(brand_name__icontains=query)
            | Q(generic_name__icontains=query)
            | Q(other_names__icontains=query)
        )
    return (
        Drug.objects.published()
        .only(*DRUG_CARD_FIELDS)
        .filter(condition)
        .alias(exact=Q(brand_name__iexact=query) | Q(generic_name__iexact=query), starts=starts)
        .order_by("-exact", "-starts", "brand_name")[:MAX_DRUG_RESULTS]
    )


def _find_drugs_postgresql(results):
    query = results.query
    results.drugs = _literal_drug_matches(query)
    if results.drugs:
        results.suggestion = _completion(results.drugs[0], query)
        return
    lowered = query.lower()
    others = [*results.drug_classes, *results.cancer_types, *results.companies]
    if len(query) < MIN_SUBSTRING_LENGTH or any(lowered in other.name.lower() for other in others):
        return  # too short to be a misspelling, or the name of a class, cancer type or company
    results.drugs = list(Drug.objects.raw(_LOOKALIKES_SQL, {"lowered": lowered}))
    if results.drugs:
        best = results.drugs[0]
        closer_to_brand = best.brand_similarity >= best.generic_similarity
        results.suggestion = best.brand_name if closer_to_brand else best.generic_name


def _literal_drug_matches(query):
    lowered = query.lower()
    pattern = connection.ops.prep_for_like_query(lowered)
    params = {
        "query": query,
        "lowered": lowered,
        "start": f"{pattern}%",
        "part": f"%{pattern}%",
        "long_enough": len(query) >= MIN_SUBSTRING_LENGTH,
    }
    best_match = {}
    for drug in Drug.objects.raw(_LITERAL_MATCHES_SQL, params):
        best_match.setdefault(drug.pk, drug)
    return list(best_match.values())[:MAX_DRUG_RESULTS]


def _completion(best, query):
    """The name the reader is probably still typing, when the best match only starts with it."""
    if best.match != NAME_START:
        return ""
    lowered = query.lower()
    started = [
        name for name in (best.brand_name, best.generic_name) if name.lower().startswith(lowered)
    ]
    name = max(started, key=lambda name: _similarity(name, lowered))
    return name if _similarity(name, lowered) >= TRIGRAM_THRESHOLD else ""


def _other_matches(query, *, fuzzy):
    """Drug classes, cancer types and companies by name, all three in one query."""
    if len(query) < MIN_SUBSTRING_LENGTH:
        condition = Q(name__istartswith=query)
    else:
        condition = Q(name__icontains=query)
        if fuzzy:
            condition |= Q(name__trigram_similar=query)
    kinds = [
        model.objects.with_published_drugs()
        .filter(condition)
        .order_by()  # ordered once, after the union
        .annotate(kind=Value(kind, output_field=CharField()))
        .values_list("kind", "pk", "name", "slug")
        for kind, model in OTHER_KINDS.items()
    ]
    found = {kind: [] for kind in OTHER_KINDS}
    for kind, pk, name, slug in kinds[0].union(*kinds[1:], all=True).order_by("name"):
        if len(found[kind]) < MAX_OTHER_RESULTS:  # name and slug are all a result link needs
            found[kind].append(OTHER_KINDS[kind](pk=pk, name=name, slug=slug))
    return found


def _similarity(name, lowered_query):
    """Rough trigram overlap in Python, for the one name a completion would suggest."""

    def trigrams(text):
        padded = f"  {text.lower()} "
        return {padded[i : i + 3] for i in range(len(padded) - 2)}

    a, b = trigrams(name), trigrams(lowered_query)
    return len(a & b) / len(a | b) if a | b else 0.0
