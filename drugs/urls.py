from django.urls import path
from django.views.generic import RedirectView

from . import views

app_name = "drugs"

urlpatterns = [
    path("", views.home, name="home"),
    path("drugs/", views.drug_index, name="drug-index"),
    path("drug/<slug:slug>/", views.drug_detail, name="drug-detail"),
    # The old site's monograph URLs had no trailing slash; keep them working for good.
    path(
        "drug/<slug:slug>",
        RedirectView.as_view(pattern_name="drugs:drug-detail", permanent=True),
    ),
    path("drug-classes/", views.class_list, name="class-list"),
    path("drug-class/<slug:slug>/", views.class_detail, name="class-detail"),
    path("cancer-types/", views.cancer_type_list, name="cancer-type-list"),
    path("cancer-type/<slug:slug>/", views.cancer_type_detail, name="cancer-type-detail"),
    path("company/<slug:slug>/", views.company_detail, name="company-detail"),
    path("reviewers/<slug:slug>/", views.reviewer_detail, name="reviewer-detail"),
    path("assistance/", views.assistance_list, name="assistance-list"),
    path("search/", views.search, name="search"),
    path("feed/", views.feed, name="feed"),
    path("robots.txt", views.robots_txt, name="robots-txt"),
    path("healthz/", views.healthz, name="healthz"),
]
