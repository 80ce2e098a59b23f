"""Old addresses of drugs (issue 16): any path, not only a renamed slug, redirects to a drug.

DrugOldPath replaces DrugSlugRedirect: each old slug becomes the path /drug/<slug>.
"""

import django.db.models.deletion
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

# Old addresses change no medical content: editors see them, publishers manage them.
GROUP_PERMISSIONS = {
    "Editor": ["view_drugoldpath"],
    "Medical reviewer": ["view_drugoldpath"],
    "Publisher": ["view_drugoldpath", "add_drugoldpath", "change_drugoldpath", "delete_drugoldpath"],
}


def slugs_to_paths(apps, schema_editor):
    DrugSlugRedirect = apps.get_model("drugs", "DrugSlugRedirect")
    DrugOldPath = apps.get_model("drugs", "DrugOldPath")
    DrugOldPath.objects.bulk_create(
        DrugOldPath(path=f"/drug/{redirect.old_slug.lower()}", drug_id=redirect.drug_id)
        for redirect in DrugSlugRedirect.objects.all()
    )


def grant_permissions(apps, schema_editor):
    # Permissions are normally created after all migrations (as in 0004).
    drugs_config = apps.get_app_config("drugs")
    drugs_config.models_module = True
    create_permissions(drugs_config, apps=apps, verbosity=0)
    drugs_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name__in=GROUP_PERMISSIONS):
        group.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="drugs", codename__in=GROUP_PERMISSIONS[group.name]
            )
        )


def paths_to_slugs(apps, schema_editor):
    DrugSlugRedirect = apps.get_model("drugs", "DrugSlugRedirect")
    DrugOldPath = apps.get_model("drugs", "DrugOldPath")
    DrugSlugRedirect.objects.bulk_create(
        DrugSlugRedirect(old_slug=old.path.removeprefix("/drug/"), drug_id=old.drug_id)
        for old in DrugOldPath.objects.filter(path__regex=r"^/drug/[-a-zA-Z0-9_]+$")
    )


class Migration(migrations.Migration):
    dependencies = [("drugs", "0024_labelled_names")]

    operations = [
        migrations.CreateModel(
            name="DrugOldPath",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "path",
                    models.CharField(
                        help_text="A path such as /drug/keytruda-pembrolizumab: kept in lower "
                        "case, without the query or a trailing slash, which make no difference "
                        "to the redirect.",
                        max_length=300,
                        unique=True,
                    ),
                ),
                (
                    "drug",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="old_paths",
                        to="drugs.drug",
                    ),
                ),
            ],
            options={
                "verbose_name": "old address",
                "verbose_name_plural": "old addresses",
                "ordering": ["path"],
            },
        ),
        migrations.RunPython(slugs_to_paths, paths_to_slugs),
        migrations.RunPython(grant_permissions, migrations.RunPython.noop),
        migrations.DeleteModel(name="DrugSlugRedirect"),
    ]
