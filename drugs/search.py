"""Site search: one entry point, search(query).

On PostgreSQL: full-text search over brand, generic and other names (GIN-indexed, see migration
0003) plus pg_trgm similarity, so a typo still finds the drug and we can offer "Did you mean".
Elsewhere (SQLite in development): a case-insensitive substring match.
"""

from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Case, F, FloatField, IntegerField, Q, Value, When
from django.db.models.functions import Greatest, Lower

from .models import CancerType, Company, Drug, DrugClass

MAX_QUERY_LENGTH = 200
MAX_DRUG_RESULTS = 50
MAX_OTHER_RESULTS = 10
TRIGRAM_THRESHOLD = 0.3


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
        return (
            len(self.drugs) + len(self.drug_classes) + len(self.cancer_types) + len(self.companies)
        )


def normalise(query):
    return " ".join((query or "").split())


def search(raw_query):
    query = normalise(raw_query)
    if not query:
        return SearchResults(problem="empty")
    if len(query) > MAX_QUERY_LENGTH:
        return SearchResults(query=query[:MAX_QUERY_LENGTH], problem="too_long")
    if connection.vendor == "postgresql":
        return _search_postgresql(query)
    return _search_substring(query)


def _exact_match_first(query):
    return Case(
        When(Q(brand_name__iexact=query) | Q(generic_name__iexact=query), then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )


def _named_matches(model, query, *, fuzzy):
    condition = Q(name__icontains=query)
    if fuzzy:
        condition |= Q(name__trigram_similar=query)
    return list(model.objects.filter(condition).order_by("name")[:MAX_OTHER_RESULTS])


def _search_substring(query):
    drugs = (
        Drug.objects.published()
        .filter(
            Q(brand_name__icontains=query)
            | Q(generic_name__icontains=query)
            | Q(other_names__icontains=query)
        )
        .annotate(exact=_exact_match_first(query))
        .order_by("exact", "brand_name")
    )
    return SearchResults(
        query=query,
        drugs=list(drugs[:MAX_DRUG_RESULTS]),
        drug_classes=_named_matches(DrugClass, query, fuzzy=False),
        cancer_types=_named_matches(CancerType, query, fuzzy=False),
        companies=_named_matches(Company, query, fuzzy=False),
    )


def _search_postgresql(query):
    from django.contrib.postgres.search import (
        SearchQuery,
        SearchRank,
        SearchVector,
        TrigramSimilarity,
    )

    lowered = query.lower()
    # The same expressions as the indexes in migration 0003, so PostgreSQL can use them.
    vector = SearchVector("brand_name", "generic_name", "other_names", config="simple")
    text_query = SearchQuery(query, search_type="websearch", config="simple")
    brand, generic = Lower("brand_name"), Lower("generic_name")
    drugs = (
        Drug.objects.published()
        .annotate(
            document=vector,
            lower_brand=brand,
            lower_generic=generic,
            similarity=Greatest(
                TrigramSimilarity(brand, lowered),
                TrigramSimilarity(generic, lowered),
                output_field=FloatField(),
            ),
        )
        .filter(
            Q(document=text_query)
            | Q(lower_brand__contains=lowered)
            | Q(lower_generic__contains=lowered)
            | Q(lower_brand__trigram_similar=lowered)
            | Q(lower_generic__trigram_similar=lowered)
        )
        .annotate(
            exact=_exact_match_first(query),
            rank=SearchRank(F("document"), text_query) + F("similarity"),
            # A whole-word or exact hit: the reader spelled a name right.
            is_literal=Case(
                When(
                    Q(document=text_query)
                    | Q(brand_name__iexact=query)
                    | Q(generic_name__iexact=query),
                    then=Value(True),
                ),
                default=Value(False),
            ),
        )
        .order_by("exact", "-rank", "brand_name")
    )
    drugs = list(drugs[:MAX_DRUG_RESULTS])
    results = SearchResults(
        query=query,
        drugs=drugs,
        drug_classes=_named_matches(DrugClass, query, fuzzy=True),
        cancer_types=_named_matches(CancerType, query, fuzzy=True),
        companies=_named_matches(Company, query, fuzzy=True),
    )
    best = drugs[0] if drugs else None
    if best and best.similarity >= TRIGRAM_THRESHOLD and not any(d.is_literal for d in drugs):
        results.suggestion = (
            best.brand_name
            if _similarity(best.brand_name, lowered) >= _similarity(best.generic_name, lowered)
            else best.generic_name
        )
    return results


def _similarity(name, lowered_query):
    """Rough trigram overlap in Python, only to choose which of two names to suggest."""

    def trigrams(text):
        padded = f"  {text.lower()} "
        return {padded[i : i + 3] for i in range(len(padded) - 2)}

    a, b = trigrams(name), trigrams(lowered_query)
    return len(a & b) / len(a | b) if a | b else 0.0
