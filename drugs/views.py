import functools

from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.sitemaps import views as sitemap_views
from django.contrib.sitemaps.views import SitemapIndexItem
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import http_date
from django.views.decorators.http import require_POST, require_safe

from . import images
from .addresses import absolute_url
from .caching import fragment_generation, public_page
from .feeds import RecentMonographsFeed
from .filters import AssistanceProgramFilter, PublicDrugFilter
from .markdown import render_markdown
from .models import (
    INDEX_LETTERS,
    AssistanceProgram,
    CancerType,
    Company,
    Drug,
    DrugClass,
    DrugClassSlugRedirect,
    Reviewer,
)
from .search import search as run_search
from .sitemaps import SITEMAPS

LISTING_PAGE_SIZE = 25
# The query parameters each kind of page reads (see public_page).
LISTING_QUERY = [*PublicDrugFilter.base_filters, "page"]
INDEX_PAGE_SIZE = 100
RECENTLY_REVIEWED_SHOWN = 6


def lowercase_slug_redirect(view):
    """A slug with capitals that finds no page redirects to its lower case (/drug/POMALYST/)."""

    @functools.wraps(view)
    def wrapper(request, slug, **kwargs):
        try:
            return view(request, slug, **kwargs)
        except Http404:
            if slug == slug.lower():
                raise
        url = reverse(request.resolver_match.view_name, kwargs={"slug": slug.lower()})
        query = request.META.get("QUERY_STRING")
        return redirect(f"{url}?{query}" if query else url, permanent=True)

    return wrapper


def paginate(request, rows, per_page=LISTING_PAGE_SIZE):
    return Paginator(rows, per_page).get_page(request.GET.get("page"))


@require_safe
@public_page
def home(request):
    context = {
        "drug_classes": DrugClass.objects.listed(),
        "cancer_types": CancerType.objects.listed(),
        "recently_reviewed": Drug.objects.published()
        .for_listing("last_reviewed")
        .recently_reviewed()[:RECENTLY_REVIEWED_SHOWN],
        "letters": INDEX_LETTERS,
        "letters_with_drugs": Drug.objects.published().letters_in_index(),
    }
    return render(request, "drugs/home.html", context)


@require_safe
@public_page
@lowercase_slug_redirect
def drug_detail(request, slug):
    drug = Drug.objects.published().select_related("reviewed_by").filter(slug=slug).first()
    if drug is None:
        # Its brand or generic name (/drug/pembrolizumab/); else, if it is one of a drug's old
        # addresses, drugs.middleware.OldPathRedirectMiddleware redirects the 404.
        named = Drug.objects.published().named_by(slug)
        if named is None:
            raise Http404("No drug has that address.")
        return redirect(named, permanent=True)
    generation = fragment_generation(request)
    context = {
        "drug": drug,
        # Called by the template only when its cached fragment is missing.
        "structured_data": functools.partial(
            drug.structured_data, absolute_url(drug.get_absolute_url(), request)
        ),
        "generation": generation,
    }
    response = render(request, "drugs/drug_detail.html", context)
    response["Last-Modified"] = http_date(drug.updated.timestamp())
    surrogate_keys = Drug.objects.filter(pk=drug.pk).surrogate_keys
    if generation:  # kept beside the page's fragments, retired by the same edits
        key = f"surrogate-keys:{drug.pk}:{generation}"
        response.surrogate_keys = caches["fragments"].get_or_set(key, surrogate_keys, 86400)
    else:
        response.surrogate_keys = surrogate_keys()
    return response


def drug_listing(request, template, drugs, context):
    """A filtered, paginated list of published drugs (class and cancer-type pages)."""
    filterset = PublicDrugFilter(request.GET, queryset=drugs.for_listing().order_by("brand_name"))
    context |= {"filter": filterset, "page_obj": paginate(request, filterset.qs)}
    return render(request, template, context)


@require_safe
@public_page
def class_list(request):
    context = {"drug_classes": DrugClass.objects.listed()}
    return render(request, "drugs/class_list.html", context)


@require_safe
@public_page(query=LISTING_QUERY)
@lowercase_slug_redirect
def class_detail(request, slug):
    listed = DrugClass.objects.with_published_drugs()
    drug_class = listed.filter(slug=slug).first()
    if drug_class is None:
        # A renamed class's old slug redirects, but not to a class readers cannot see.
        redirects = DrugClassSlugRedirect.objects.filter(drug_class__in=listed)
        old = get_object_or_404(redirects.select_related("drug_class"), old_slug=slug)
        return redirect(old.drug_class, permanent=True)
    drugs = Drug.objects.published().in_class(drug_class)
    return drug_listing(request, "drugs/class_detail.html", drugs, {"drug_class": drug_class})


@require_safe
@public_page
def cancer_type_list(request):
    context = {"cancer_types": CancerType.objects.listed()}
    return render(request, "drugs/cancer_type_list.html", context)


@require_safe
@public_page(query=LISTING_QUERY)
@lowercase_slug_redirect
def cancer_type_detail(request, slug):
    cancer_type = get_object_or_404(CancerType.objects.with_published_drugs(), slug=slug)
    drugs = Drug.objects.published().for_cancer_type(cancer_type)
    context = {"cancer_type": cancer_type}
    return drug_listing(request, "drugs/cancer_type_detail.html", drugs, context)


@require_safe
@public_page(query=LISTING_QUERY)
@lowercase_slug_redirect
def company_detail(request, slug):
    company = get_object_or_404(Company.objects.with_published_drugs(), slug=slug)
    context = {
        "company": company,
        "drugs": Drug.objects.published().filter(companies=company).for_listing(),
        "programs": company.programs.with_published_drugs(),
    }
    return render(request, "drugs/company_detail.html", context)


@require_safe
@public_page(query=["page"])
@lowercase_slug_redirect
def reviewer_detail(request, slug):
    reviewer = get_object_or_404(Reviewer.objects.credited(), slug=slug)
    drugs = Drug.objects.published().credited().filter(reviewed_by=reviewer)
    drugs = drugs.for_listing().order_by("brand_name")
    context = {"reviewer": reviewer, "page_obj": paginate(request, drugs)}
    return render(request, "drugs/reviewer_detail.html", context)


@require_safe
@public_page(query=[*AssistanceProgramFilter.base_filters])
def assistance_list(request):
    programs = AssistanceProgram.objects.with_published_drugs().select_related("company")
    filterset = AssistanceProgramFilter(request.GET, queryset=programs)
    return render(request, "drugs/assistance_list.html", {"filter": filterset})


@require_safe
@public_page(query=["letter", "page"])
def drug_index(request):
    """Every published drug under its brand and generic names, a letter at a time (by default
    the first letter with drugs)."""
    published = Drug.objects.published()
    letters_with_drugs = published.letters_in_index()
    letter = request.GET.get("letter", "").upper()
    if not letter:
        letter = letters_with_drugs[0] if letters_with_drugs else INDEX_LETTERS[0]
    if letter not in INDEX_LETTERS:
        raise Http404("No such letter in the index.")
    entries = published.index_entries(letter)
    context = {
        "letter": letter,
        "letters": INDEX_LETTERS,
        "letters_with_drugs": letters_with_drugs,
        "page_obj": paginate(request, entries, INDEX_PAGE_SIZE),
    }
    return render(request, "drugs/drug_index.html", context)


@require_safe
@public_page(query=["q"])
def search(request):
    results = run_search(request.GET.get("q", ""))
    return render(request, "drugs/search.html", {"results": results, "query": results.query})


feed = require_safe(public_page(RecentMonographsFeed()))


@require_safe
@public_page
def sitemap_index(request):
    """Django's sitemap index, on SITE_URL rather than the request's host."""
    entries = []
    for section, sitemap_class in SITEMAPS.items():
        sitemap = sitemap_class()
        url = absolute_url(reverse("sitemap-section", args=[section]), request)
        lastmod = sitemap.get_latest_lastmod()
        entries.append(SitemapIndexItem(url, lastmod))
        entries += [
            SitemapIndexItem(f"{url}?p={page}", lastmod)
            for page in range(2, sitemap.paginator.num_pages + 1)
        ]
    response = render(
        request, "sitemap_index.xml", {"sitemaps": entries}, content_type="application/xml"
    )
    response["X-Robots-Tag"] = "noindex, noodp, noarchive"
    return response


@require_safe
@public_page(query=["p"])
def sitemap_section(request, section):
    return sitemap_views.sitemap(request, sitemaps=SITEMAPS, section=section).render()


@require_safe
def healthz(request):
    """For load balancers: the app server answers."""
    return HttpResponse("ok\n", content_type="text/plain")


@require_safe
def robots_txt(request):
    sitemap_url = absolute_url(reverse("sitemap"), request)
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /staff/",
        "Disallow: /markdownx/",
        f"Sitemap: {sitemap_url}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


# django-markdownx's own views have no permission checks; these replace them behind staff login.
@staff_member_required(login_url="login")  # never the hidden admin path
@require_POST
def markdown_preview(request):
    return HttpResponse(render_markdown(request.POST.get("content", "")))


@require_POST
def markdown_upload(request):
    """markdownx's image upload, for editors, checked as product images are (drugs/images.py).
    The editor's XHR expects JSON, even for a refusal, never a redirect to the login page."""
    if not (request.user.is_staff and request.user.has_perm("drugs.change_drug")):
        return JsonResponse({"image": ["Only editors may upload images."]}, status=403)
    upload = request.FILES.get("image")
    if upload is None:
        return JsonResponse({"image": ["Choose an image to upload."]}, status=400)
    try:
        name = images.store(images.process(upload), "section")
    except ValidationError as refusal:
        return JsonResponse({"image": refusal.messages}, status=400)
    return JsonResponse({"image_code": f"![]({default_storage.url(name)})"})
