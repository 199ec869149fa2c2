"""Taxonomies and their terms, which services are tagged with."""

from __future__ import annotations

from django.db import models

from directory.models.base import UUIDModel

# --- taxonomy -------------------------------------------------------------------------


class Taxonomy(UUIDModel):
    """A vocabulary: our social prescribing categories, who a service is for, or an
    imported one."""

    code = models.SlugField(max_length=60, unique=True, help_text="Stable key for our own use.")
    name = models.CharField(max_length=200)
    description = models.TextField()
    uri = models.URLField(blank=True)
    version = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ("name",)
        verbose_name_plural = "taxonomies"

    def __str__(self) -> str:
        return self.name


class TaxonomyTerm(UUIDModel):
    taxonomy = models.ForeignKey(
        Taxonomy, null=True, blank=True, on_delete=models.PROTECT, related_name="terms"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    term = models.CharField(max_length=100, help_text="The term's code within its taxonomy.")
    name = models.CharField(max_length=200)
    description = models.TextField()
    term_uri = models.URLField(blank=True)

    class Meta:
        ordering = ("taxonomy__name", "name")
        constraints = [
            models.UniqueConstraint(fields=["taxonomy", "term"], name="taxonomy_term_unique_code")
        ]

    def __str__(self) -> str:
        return self.name
