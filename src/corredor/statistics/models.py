"""The imported international datasets that put the country's own figures in context, the log of their
imports, and the state of the Parquet extract the analytics engine reads.

The operational tables (crossings, stays) are never written here: the statistics app only reads them.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Dataset(models.TextChoices):
    UNDESA_STOCK = "undesa-stock", _("UN DESA International Migrant Stock")
    UNHCR_BILATERAL = "unhcr-bilateral", _("UNHCR refugees and asylum seekers")
    MISSING_MIGRANTS = "missing-migrants", _("IOM Missing Migrants Project")


class ExternalImport(models.Model):
    """One import of a public dataset file: what, from which file (and its SHA-256), how many rows, what
    it changed, what it skipped and did not understand, who."""

    dataset = models.CharField(_("dataset"), max_length=30, choices=Dataset.choices)
    file_name = models.CharField(_("file"), max_length=255)
    sha256 = models.CharField(max_length=64)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    # What the import did: a second import of the same file creates and updates nothing.
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    removed = models.PositiveIntegerField(_("removed"), default=0)
    # Lines read, what was skipped and why (aggregates, not available), the values not understood.
    report = models.JSONField(_("report"), default=dict, blank=True)
    imported_at = models.DateTimeField(_("imported"), default=timezone.now)
    username = models.CharField(_("by"), max_length=150, blank=True)

    class Meta:
        ordering = ["-imported_at"]
        verbose_name = _("dataset import")
        verbose_name_plural = _("dataset imports")

    def __str__(self) -> str:
        return f"{self.dataset} {self.file_name} ({self.rows} rows)"


class MigrantStock(models.Model):
    """UN DESA International Migrant Stock: people born in `origin` living in `destination` at mid-year.

    Country codes are ISO 3166 alpha-3 (a few UN areas without one keep a documented stand-in, such as
    CHI for the Channel Islands).
    """

    origin = models.CharField(_("origin"), max_length=3)
    destination = models.CharField(_("destination"), max_length=3)
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.BigIntegerField(_("migrants"))
    source = models.ForeignKey(ExternalImport, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("migrant stock figure")
        verbose_name_plural = _("migrant stock figures")
        constraints = [
            models.UniqueConstraint(fields=["origin", "destination", "year"], name="stock_unique_cell")
        ]
        indexes = [models.Index(fields=["destination", "year"])]

    def __str__(self) -> str:
        return f"{self.origin}->{self.destination} {self.year}: {self.value}"


class RefugeeFigure(models.Model):
    """UNHCR: refugees and asylum seekers from `origin` hosted in `destination` at the end of `year`.

    `origin` (and, for a few world totals, `destination`) is blank where UNHCR gives no country.
    """

    origin = models.CharField(_("origin"), max_length=3, blank=True)
    destination = models.CharField(_("destination"), max_length=3, blank=True)
    year = models.PositiveSmallIntegerField(_("year"))
    refugees = models.BigIntegerField(_("refugees"))
    asylum_seekers = models.BigIntegerField(_("asylum seekers"))
    source = models.ForeignKey(ExternalImport, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("refugee figure")
        verbose_name_plural = _("refugee figures")
        constraints = [
            models.UniqueConstraint(fields=["origin", "destination", "year"], name="refugee_unique_cell")
        ]
        indexes = [models.Index(fields=["destination", "year"])]

    def __str__(self) -> str:
        return f"{self.origin}->{self.destination} {self.year}: {self.refugees}+{self.asylum_seekers}"


class MissingMigrantIncident(models.Model):
    """An incident recorded by IOM's Missing Migrants Project: people who died or went missing on a
    migration route. `country` is the ISO alpha-3 code of the country of incident, blank when unknown."""

    incident_id = models.CharField(_("incident"), max_length=40, db_index=True)
    reported_on = models.DateField(_("reported"), null=True, blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    region = models.CharField(_("region"), max_length=80, blank=True)
    country = models.CharField(_("country of incident"), max_length=3, blank=True)
    route = models.CharField(_("migration route"), max_length=120, blank=True)
    # Negative in the source's correction records (missing people later found dead).
    dead = models.IntegerField(_("dead"), default=0)
    missing = models.IntegerField(_("missing"), default=0)
    children = models.PositiveIntegerField(_("children"), null=True, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    cause = models.CharField(_("cause of death"), max_length=300, blank=True)
    location = models.TextField(_("location"), blank=True)
    source = models.ForeignKey(ExternalImport, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("missing migrants incident")
        verbose_name_plural = _("missing migrants incidents")
        indexes = [models.Index(fields=["year"]), models.Index(fields=["country"])]

    def __str__(self) -> str:
        return f"{self.incident_id} {self.country} {self.reported_on}: {self.dead}+{self.missing}"

    @property
    def dead_and_missing(self) -> int:
        return self.dead + self.missing


class ExtractState(models.Model):
    """How far the Parquet extract of one operational table has got: every row created up to
    `watermark` has been written (rows arriving late from offline posts are caught up to
    CORREDOR_STATS_LATE_DAYS behind it)."""

    table = models.CharField(_("table"), max_length=40, primary_key=True)
    watermark = models.DateTimeField(_("extracted up to"), null=True, blank=True)
    rows = models.BigIntegerField(_("rows"), default=0)
    parts = models.PositiveIntegerField(_("part files"), default=0)
    refreshed_at = models.DateTimeField(_("refreshed"), null=True, blank=True)

    class Meta:
        verbose_name = _("extract state")
        verbose_name_plural = _("extract states")

    def __str__(self) -> str:
        return f"{self.table}: {self.rows} rows up to {self.watermark}"
