from django.urls import path

from . import staff

app_name = "staff"

urlpatterns = [
    path("drugs/", staff.drug_list, name="drug-list"),
    path("drugs/export.csv", staff.export_csv, name="drug-export-csv"),
    path("drugs/export.json", staff.export_json, name="drug-export-json"),
    path("drugs/import/", staff.drug_import, name="drug-import"),
    path("drugs/import/confirm/", staff.drug_import_confirm, name="drug-import-confirm"),
]
