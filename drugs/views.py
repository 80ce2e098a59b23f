import functools
from urllib.parse import urlencode

from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.sitemaps import views as sitemap_views
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import http_date
from django.views.decorators.http import require_GET, require_POST

from .caching import cached_public_page, drug_page_tags
from .feeds import RecentMonographsFeed
from .filters import AssistanceProgramFilter, PublicDrugFilter
from .links import page_url, slug_url_builder
from .markdown import render_markdown
from .models import (
    INDEX_LETTERS,
    AssistanceProgram,
    CancerType,
    Company,
    Drug,
    DrugClass,
    DrugClassSlugRedirect,
    DrugLink,
    DrugSlugRedirect,
    PagedList,
)
from .search import search as run_search
from .sitemaps import SITEMAPS

LISTING_PAGE_SIZE = 25
INDEX_PAGE_SIZE = 100


def tagged(response, *tags):
    """Let the page cache keep this response until something it shows changes."""
    response.cache_tags = tags
    return response


def redirect_from_old_slug(redirect_model, slug, target):
    """A renamed page's old address answers 301 to the new one; an unknown slug is a 404."""
    old = get_object_or_404(redirect_model.objects.select_related(target), old_slug=slug)
    return redirect(getattr(old, target), permanent=True)


def letter_links():
    """(letter, URL of its A-Z page) for the letter bar."""
    return _letter_links(page_url("drugs:drug-index"))


@functools.lru_cache(maxsize=8)
def _letter_links(index_url):
    return tuple(
        (letter, f"{index_url}?{urlencode({'letter': letter})}") for letter in INDEX_LETTERS
    )


def paginate(request, rows, per_page=LISTING_PAGE_SIZE):
    """The requested page of `rows` (a queryset or a PagedList)."""
    return Paginator(rows, per_page).get_page(request.GET.get("page"))


@require_GET
@cached_public_page
def home(request):
    context = {
        "drug_classes": DrugClass.objects.with_published_counts(),
        "cancer_types": CancerType.objects.with_published_counts(),
        "recently_reviewed": DrugLink.many(
            Drug.objects.published().cards().recently_reviewed()[:6]
        ),
        "letters": letter_links(),
    }
    return tagged(render(request, "drugs/home.html", context), "home")


@require_GET
@cached_public_page
def drug_detail(request, slug):
    drug = Drug.objects.by_slug(slug)
    if drug is None:
        return redirect_from_old_slug(DrugSlugRedirect, slug, "drug")
    same_class, same_company = drug.related_drugs()
    context = {
        "drug": drug,
        "same_class": same_class,
        "same_company": same_company,
        "structured_data": drug.structured_data(request.build_absolute_uri()),
    }
    response = render(request, "drugs/drug_detail.html", context)
    response["Last-Modified"] = http_date(drug.updated.timestamp())
    return tagged(response, *drug_page_tags(drug))


def drug_listing(request, template, listing, context, tag):
    """A filtered, paginated list of published drugs (class and cancer-type pages): `listing`
    is a PagedList, used as it is unless a filter narrows it."""
    filterset = PublicDrugFilter(request.GET)
    rows = filterset.filter_queryset(listing.queryset()) if filterset.narrows() else listing
    page_obj = paginate(request, rows)
    page_obj.object_list = DrugLink.many(page_obj.object_list)
    context |= {"filter": filterset, "page_obj": page_obj}
    return tagged(render(request, template, context), tag, "companies")


@require_GET
@cached_public_page
def class_list(request):
    context = {"drug_classes": DrugClass.objects.with_published_counts()}
    return tagged(render(request, "drugs/class_list.html", context), "class-list")


@require_GET
@cached_public_page
def class_detail(request, slug):
    drug_class = DrugClass.objects.by_slug(slug)
    if drug_class is None:
        return redirect_from_old_slug(DrugClassSlugRedirect, slug, "drug_class")
    drugs = PagedList("class", drug_class.pk, Drug.objects.db, drug_class.published_drug_count)
    return drug_listing(
        request,
        "drugs/class_detail.html",
        drugs,
        {"drug_class": drug_class},
        tag=f"class:{drug_class.pk}",
    )


@require_GET
@cached_public_page
def cancer_type_list(request):
    context = {"cancer_types": CancerType.objects.with_published_counts()}
    return tagged(render(request, "drugs/cancer_type_list.html", context), "cancer-type-list")


@require_GET
@cached_public_page
def cancer_type_detail(request, slug):
    cancer_type = CancerType.objects.by_slug(slug)
    if cancer_type is None:
        raise Http404("No such cancer type.")
    drugs = PagedList(
        "cancer-type", cancer_type.pk, Drug.objects.db, cancer_type.published_drug_count
    )
    return drug_listing(
        request,
        "drugs/cancer_type_detail.html",
        drugs,
        {"cancer_type": cancer_type},
        tag=f"cancer-type:{cancer_type.pk}",
    )


@require_GET
@cached_public_page
def company_detail(request, slug):
    company = Company.objects.by_slug(slug)
    if company is None:
        raise Http404("No such company.")
    context = {
        "company": company,
        "drugs": DrugLink.many(Drug.objects.published().filter(companies=company).cards()),
        "programs": company.programs.all(),
    }
    return tagged(render(request, "drugs/company_detail.html", context), f"company:{company.pk}")


@require_GET
@cached_public_page
def assistance_list(request):
    programs = AssistanceProgram.objects.select_related("company")
    filterset = AssistanceProgramFilter(request.GET, queryset=programs)
    response = render(request, "drugs/assistance_list.html", {"filter": filterset})
    return tagged(response, "assistance")


@require_GET
@cached_public_page
def drug_index(request):
    """The A-Z: every published drug under its brand name and under its generic name."""
    letter = request.GET.get("letter", INDEX_LETTERS[0]).upper()
    if letter not in INDEX_LETTERS:
        raise Http404("No such letter in the index.")
    entries = PagedList("a-z", letter, Drug.objects.db)
    page_obj = paginate(request, entries, INDEX_PAGE_SIZE)
    drug_url = slug_url_builder("drugs:drug-detail")
    page_obj.object_list = [entry | {"url": drug_url(entry["slug"])} for entry in page_obj]
    context = {"letter": letter, "letters": letter_links(), "page_obj": page_obj}
    return tagged(render(request, "drugs/drug_index.html", context), "az")


@require_GET
@cached_public_page
def search(request):
    results = run_search(request.GET.get("q", ""))
    context = {"results": results, "query": results.query}
    return tagged(render(request, "drugs/search.html", context), "search")


recent_monographs = RecentMonographsFeed()


@require_GET
@cached_public_page
def feed(request):
    return tagged(recent_monographs(request), "feed")


@require_GET
@cached_public_page
def sitemap_index(request):
    """/sitemap.xml: where each section's sitemap files are, so every drug is listed however
    many there are (one sitemap file holds at most DrugSitemap.limit drugs)."""
    response = sitemap_views.index(request, sitemaps=SITEMAPS, sitemap_url_name="sitemap-section")
    return tagged(response.render(), "sitemap")


@require_GET
@cached_public_page
def sitemap_section(request, section):
    response = sitemap_views.sitemap(request, sitemaps=SITEMAPS, section=section)
    return tagged(response.render(), "sitemap")


@require_GET
def healthz(request):
    """For load balancers: the app server answers. Also the benchmark's floor."""
    return HttpResponse("ok\n", content_type="text/plain")


@require_GET
def robots_txt(request):
    sitemap_url = request.build_absolute_uri(reverse("sitemap"))
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /staff/",
        "Disallow: /markdownx/",
        f"Sitemap: {sitemap_url}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


# django-markdownx's own views have no permission checks; these replace them behind staff login.
@staff_member_required
@require_POST
def markdown_preview(request):
    return HttpResponse(render_markdown(request.POST.get("content", "")))


@staff_member_required
@require_POST
def markdown_upload(request):
    return JsonResponse({"image": ["Image uploads are switched off."]}, status=403)
