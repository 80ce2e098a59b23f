# The dosage section is headed "Dosing Info", as on the source page.

from django.db import migrations

import drugs.models


class Migration(migrations.Migration):
    dependencies = [
        ("drugs", "0019_full_text_search"),
    ]

    operations = [
        migrations.AlterField(
            model_name="drug",
            name="dosage",
            field=drugs.models.MonographSection(
                blank=True, help_text="Markdown. The dosing info.", verbose_name="dosing info"
            ),
        ),
        migrations.AlterField(
            model_name="historicaldrug",
            name="dosage",
            field=drugs.models.MonographSection(
                blank=True, help_text="Markdown. The dosing info.", verbose_name="dosing info"
            ),
        ),
    ]
