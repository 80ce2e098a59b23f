"""The editorial groups: Editor, Medical reviewer and Publisher, with their permissions.

Editors write and submit monographs; medical reviewers also mark them as reviewed; publishers
also publish, unpublish and delete. Running it again (or after new permissions appear) brings
the groups back to this set. A frozen copy of the rules: later changes get a new migration.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITING = [
    # (model, actions)
    ("drug", ["view", "add", "change"]),
    ("drugclassmembership", ["view", "add", "change", "delete"]),
    ("drugclass", ["view", "add", "change"]),
    ("company", ["view", "add", "change"]),
    ("assistanceprogram", ["view", "add", "change", "delete"]),
    ("cancertype", ["view", "add", "change"]),
    ("reviewer", ["view"]),
    ("reviewevent", ["view"]),
    ("historicaldrug", ["view"]),
]
GROUPS = {
    "Editor": {"models": EDITING, "extra": []},
    "Medical reviewer": {
        "models": [("drug", ["view", "change"]), ("reviewer", ["view"]), ("reviewevent", ["view"]),
                   ("historicaldrug", ["view"]), ("drugclass", ["view"]), ("company", ["view"]),
                   ("cancertype", ["view"]), ("drugclassmembership", ["view"])],
        "extra": ["mark_reviewed"],
    },
    "Publisher": {
        "models": [*EDITING, ("drug", ["delete"]), ("reviewer", ["add", "change"])],
        "extra": ["publish_drug"],
    },
}


def codenames(spec):
    names = {f"{action}_{model}" for model, actions in spec["models"] for action in actions}
    return names | set(spec["extra"])


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations; the groups need them now.
    drugs_config = apps.get_app_config("drugs")
    drugs_config.models_module = True
    create_permissions(drugs_config, apps=apps, verbosity=0)
    drugs_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, spec in GROUPS.items():
        wanted = codenames(spec)
        permissions = Permission.objects.filter(
            content_type__app_label="drugs", codename__in=wanted
        )
        missing = wanted - set(permissions.values_list("codename", flat=True))
        if missing:
            raise RuntimeError(f"Permissions missing for group {name}: {sorted(missing)}")
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(permissions)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("drugs", "0003_search_indexes"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
