"""Product image of a monograph (issue 16): the image, its alt text and its size.

The revisions (historicaldrug) keep them too, as the image's name (simple-history stores a
file field's name, never a copy of the file): a published monograph's working copy is a
revision, and an image change must wait there for publication like any other edit. Stored
images are never overwritten or deleted (drugs/images.py), so an old revision's name still
points at its image when it is compared, restored or published.
"""

import importlib

from django.db import migrations, models

# Adding a column rebuilds drugs_drug on SQLite, which drops the search index's triggers.
search = importlib.import_module("drugs.migrations.0019_full_text_search")


class Migration(migrations.Migration):
    dependencies = [("drugs", "0022_reviewer_slug_help")]

    operations = [
        migrations.AddField(
            model_name='drug',
            name='image',
            field=models.ImageField(blank=True, help_text='Optional: a photo of the product or its pack. JPEG, PNG or WebP, at most 10 MB and 40 megapixels; its metadata (such as a GPS position) is removed.', max_length=255, upload_to='drugs', verbose_name='product image'),
        ),
        migrations.AddField(
            model_name='drug',
            name='image_alt',
            field=models.CharField(blank=True, help_text='Required with an image: what it shows, for readers who cannot see it, e.g. "Pomalyst 4 mg capsules in their blister pack".', max_length=250, verbose_name='alt text'),
        ),
        migrations.AddField(
            model_name='drug',
            name='image_height',
            field=models.PositiveIntegerField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name='drug',
            name='image_width',
            field=models.PositiveIntegerField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name='historicaldrug',
            name='image',
            field=models.TextField(blank=True, help_text='Optional: a photo of the product or its pack. JPEG, PNG or WebP, at most 10 MB and 40 megapixels; its metadata (such as a GPS position) is removed.', max_length=255, verbose_name='product image'),
        ),
        migrations.AddField(
            model_name='historicaldrug',
            name='image_alt',
            field=models.CharField(blank=True, help_text='Required with an image: what it shows, for readers who cannot see it, e.g. "Pomalyst 4 mg capsules in their blister pack".', max_length=250, verbose_name='alt text'),
        ),
        migrations.AddField(
            model_name='historicaldrug',
            name='image_height',
            field=models.PositiveIntegerField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name='historicaldrug',
            name='image_width',
            field=models.PositiveIntegerField(blank=True, editable=False, null=True),
        ),
        migrations.AddConstraint(
            model_name='drug',
            constraint=models.CheckConstraint(condition=models.Q(('image', ''), models.Q(('image_alt', ''), _negated=True), _connector='OR'), name='drugs_drug_image_has_alt_text', violation_error_message='Describe the image for readers who cannot see it (alt text).'),
        ),
        search.recreate_sqlite_triggers(),
    ]
