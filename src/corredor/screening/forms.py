"""Forms of screening: a new list, an upload and its column mapping, an adjudication."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from corredor.screening import importers
from corredor.screening.models import Category, DocumentReason, DocumentType, HitStatus, Source, VerdictScope

COLUMN_LABELS = {
    "entry_id": _("Entry id"),
    "full_name": _("Full name"),
    "surname": _("Surname"),
    "given_names": _("Given names"),
    "aliases": _("Aliases (separated by |)"),
    "birth_date": _("Birth date (YYYY, YYYY-MM or YYYY-MM-DD)"),
    "nationality": _("Nationality"),
    "sex": _("Sex"),
    "category": _("Category"),
    "action": _("Action for the officer"),
    "note": _("Note for officers"),
    "valid_from": _("Valid from"),
    "valid_until": _("Valid until"),
    "remove": _("Remove (yes to withdraw)"),
    "issuing_state": _("Issuing state"),
    "document_type": _("Document type"),
    "number": _("Document number"),
    "reason": _("Reason (lost, stolen, revoked, invalid)"),
    "date": _("Date reported"),
}

KIND_CHOICES = [("persons", _("Person alerts")), ("documents", _("Document alerts (lost, stolen...)"))]
MODE_CHOICES = [
    ("incremental", _("Incremental: add and change the rows given; remove those marked remove")),
    ("full", _("Full: the file is the whole list; alerts missing from it are removed")),
]


class WatchlistForm(forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=40)
    name = forms.CharField(label=_("Name"), max_length=200)
    owner = forms.CharField(label=_("Owner (the authority that keeps it)"), max_length=200, required=False)
    source = forms.ChoiceField(label=_("Source"), choices=Source.choices)


class UploadForm(forms.Form):
    file = forms.FileField(label=_("File (CSV or XLSX)"))


class MappingForm(forms.Form):
    """One choice per column of the file: which of our columns it is, or not used."""

    kind = forms.ChoiceField(label=_("Alerts in the file"), choices=KIND_CHOICES, widget=forms.RadioSelect)
    mode = forms.ChoiceField(
        label=_("Mode"), choices=MODE_CHOICES, widget=forms.RadioSelect, initial="incremental"
    )

    def __init__(self, *args: Any, columns: list[str], kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.columns = columns
        self.column_fields = []
        targets = sorted({c for cols in importers.COLUMNS_OF.values() for c in cols}, key=_order)
        choices = [("", _("— not used —"))] + [(c, f"{c} · {COLUMN_LABELS.get(c, c)}") for c in targets]
        for index, column in enumerate(columns):
            name = f"column_{index}"
            self.fields[name] = forms.ChoiceField(
                label=column or f"#{index + 1}", choices=choices, required=False
            )
            self.column_fields.append(name)

    def mapping(self) -> dict[str, str]:
        return {column: self.cleaned_data.get(f"column_{i}", "") for i, column in enumerate(self.columns)}

    def bound_columns(self) -> list[tuple[str, Any]]:
        return [(self.columns[i], self[name]) for i, name in enumerate(self.column_fields)]


def _order(column: str) -> tuple[int, str]:
    ours = [*importers.PERSON_COLUMNS, *importers.DOCUMENT_COLUMNS]
    return (ours.index(column), column)


class AdjudicationForm(forms.Form):
    verdict = forms.ChoiceField(
        label=_("Verdict"),
        choices=[
            (HitStatus.TRUE_MATCH, _("True match: the traveller is the person or document listed")),
            (HitStatus.FALSE_MATCH, _("False match: not the person or document listed")),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}), strip=True
    )
    scope = forms.ChoiceField(
        label=_("The verdict holds at"),
        choices=VerdictScope.choices,
        initial=VerdictScope.POST,
        required=False,
        widget=forms.RadioSelect,
    )


def _text(label: Any, *, required: bool = False, max_length: int = 300, **attrs: Any) -> forms.CharField:
    return forms.CharField(
        label=label, required=required, max_length=max_length, widget=forms.TextInput(attrs=attrs)
    )


def _date(label: Any) -> forms.CharField:
    # Text, checked by the importer's rules (the service), so that hand and file follow one set of rules.
    return forms.CharField(
        label=label, required=False, max_length=10, widget=forms.DateInput(attrs={"type": "date"})
    )


class WhyField(forms.CharField):
    def __init__(self, label: Any) -> None:
        super().__init__(
            label=label, max_length=1000, widget=forms.Textarea(attrs={"rows": 2, "required": True})
        )


class PersonAlertForm(forms.Form):
    """One person alert, by hand: the import's columns (checked by the same rules), and why."""

    entry_id = _text(_("Entry id"), required=True, max_length=100)
    surname = _text(_("Surname"), max_length=200)
    given_names = _text(_("Given names"), max_length=200)
    full_name = _text(_("Full name (when surname and given names are not apart)"), max_length=300)
    aliases = _text(_("Aliases (separated by |)"), max_length=2000)
    birth_date = _text(_("Birth date (YYYY, YYYY-MM or YYYY-MM-DD)"), max_length=40)
    nationality = _text(_("Nationality (code or country)"), max_length=100)
    sex = forms.ChoiceField(
        label=_("Sex"), required=False, choices=[("", "—"), ("M", "M"), ("F", "F"), ("X", "X")]
    )
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    action = forms.CharField(
        label=_("Action for the officer (empty: the category's standard action)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    note = forms.CharField(
        label=_("Note for officers"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    valid_from = _date(_("Valid from"))
    valid_until = _date(_("Valid until"))
    why = WhyField(_("Why (audited)"))


class DocumentAlertForm(forms.Form):
    """One document alert, by hand."""

    entry_id = _text(_("Entry id"), required=True, max_length=100)
    issuing_state = _text(_("Issuing state (code or country)"), required=True, max_length=100)
    document_type = forms.ChoiceField(
        label=_("Document type"), required=False, choices=[("", "—"), *DocumentType.choices]
    )
    number = _text(_("Document number"), required=True, max_length=40)
    reason = forms.ChoiceField(label=_("Reported"), choices=DocumentReason.choices)
    date = _date(_("Date reported"))
    note = forms.CharField(
        label=_("Note for officers"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    why = WhyField(_("Why (audited)"))


class EndAlertForm(forms.Form):
    why = WhyField(_("Why is the alert ended? (audited)"))


class DeactivateForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the list deactivated? (audited)"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2, "required": True}),
    )
    confirm = forms.BooleanField(
        label=_("I understand that no traveller will be screened against this list's alerts, at any post."),
        required=True,
    )
