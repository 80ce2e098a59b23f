from django.urls import path
from django.views.generic import RedirectView

from . import views

app_name = "drugs"

urlpatterns = [
    path("", views.home, name="home"),
    path("drug/<slug:slug>/", views.drug_detail, name="drug-detail"),
    # The old site's monograph URLs had no trailing slash; keep them working for good.
    path(
        "drug/<slug:slug>",
        RedirectView.as_view(pattern_name="drugs:drug-detail", permanent=True),
    ),
    path("drug-classes/", views.class_list, name="class-list"),
    path("drug-class/<slug:slug>/", views.class_detail, name="class-detail"),
]
