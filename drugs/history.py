"""What a drug's revisions keep besides its own columns."""

from django.db import models


class RevisionRelations(models.Model):
    """The base of the historical drug model: a revision also records the drug's classes,
    companies and cancer types (editorial.record_relations), which simple-history does not."""

    relations = models.JSONField(
        null=True,
        blank=True,
        editable=False,
        help_text="Ids of the drug's classes (in order), companies and cancer types at this "
        "revision; empty for revisions saved before relations were recorded.",
    )

    working_copy = models.BooleanField(
        default=False,
        editable=False,
        help_text="Saved while the monograph was published, not applied to the public page: "
        "a working copy waiting to be reviewed and published.",
    )

    class Meta:
        abstract = True
