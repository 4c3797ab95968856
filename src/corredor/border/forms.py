"""Forms of the desk: the typed-in document, and the decision recorded after a scan."""

from datetime import date
from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from corredor.border.models import ExitPermit, Sex
from corredor.core.selectors import stay_categories_active


class DocumentForm(forms.Form):
    """A document without an MRZ, typed in by the officer."""

    document_code = forms.ChoiceField(
        label=_("Document type"),
        choices=[
            ("P", _("Passport")),
            ("I", _("Identity card")),
            ("V", _("Visa")),
            ("L", _("Laissez-passer")),
            ("X", _("Other")),
        ],
    )
    issuing_state = forms.CharField(label=_("Issuing state (ICAO code)"), max_length=3, min_length=1)
    number = forms.CharField(label=_("Document number"), max_length=30)
    surname = forms.CharField(label=_("Surname"), max_length=120)
    given_names = forms.CharField(label=_("Given names"), max_length=120, required=False)
    nationality = forms.CharField(label=_("Nationality (ICAO code)"), max_length=3, min_length=1)
    birth_date = forms.DateField(
        label=_("Birth date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, initial="X")
    expiry_date = forms.DateField(
        label=_("Expiry date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean_birth_date(self) -> date | None:
        value = self.cleaned_data.get("birth_date")
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("The birth date is in the future."))
        return value


class DecisionForm(forms.Form):
    """What the officer decides after the document is read."""

    mrz = forms.CharField(required=False, widget=forms.HiddenInput)
    action = forms.ChoiceField(
        choices=[
            ("entry", _("Admit entry")),
            ("exit", _("Record exit")),
            ("refuse", _("Refuse")),
            ("refer", _("Refer")),
        ]
    )
    stay_category = forms.ChoiceField(label=_("Stay category"), required=False)
    stay_days = forms.IntegerField(label=_("Days"), required=False, min_value=1, max_value=3650)
    area_entered_on = forms.DateField(
        label=_("Entered the common area on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    transport_reference = forms.CharField(label=_("Flight / vehicle / vessel"), required=False, max_length=40)
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)
    # Made when the decision panel is drawn: a double click sends the same id twice, and one crossing is kept.
    crossing_id = forms.UUIDField(required=False, widget=forms.HiddenInput)
    refusal_ground = forms.CharField(label=_("Refusal ground"), required=False, max_length=4)
    expired_document_reason = forms.CharField(
        label=_("Admit on the expired document because"), required=False, max_length=500
    )
    missing_exit_reason = forms.CharField(label=_("Missing exit: reason"), required=False, max_length=500)
    exit_permit = forms.ChoiceField(
        label=_("Minor's exit permit"), required=False, choices=[("", "—"), *ExitPermit.choices]
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The stubs cannot know a field's kind from its name.
        cast(forms.ChoiceField, self.fields["stay_category"]).choices = [
            (c.code, c.name) for c in stay_categories_active()
        ]

    # The stay's fields matter only to an admitted entry: a bad or empty days box must never stop an exit,
    # a refusal or a referral from being recorded.
    STAY_FIELDS = ("stay_category", "stay_days", "area_entered_on")

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if cleaned.get("action") != "entry":
            for name in self.STAY_FIELDS:
                self.errors.pop(name, None)
                cleaned[name] = None
        return cleaned


class PostDayFilterForm(forms.Form):
    """The post's day list's query string: the day, filters and the page. A bad value is a 400 that names
    it (an impossible date, an unknown direction), never a server error."""

    day = forms.DateField(label=_("Day"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    officer = forms.CharField(label=_("Officer"), required=False, max_length=150)
    direction = forms.ChoiceField(
        label=_("Movement"), required=False, choices=[("", "—"), ("entry", _("Entry")), ("exit", _("Exit"))]
    )
    decision = forms.ChoiceField(
        label=_("Decision"),
        required=False,
        choices=[
            ("", "—"),
            ("admitted", _("Admitted")),
            ("refused", _("Refused")),
            ("referred", _("Referred")),
        ],
    )
    flight = forms.CharField(label=_("Flight / vehicle / vessel"), required=False, max_length=40)
    hits = forms.BooleanField(label=_("Screening hits only"), required=False)
    page = forms.IntegerField(required=False, min_value=1, max_value=100000)


def query_errors(form: forms.Form) -> str:
    """A form's errors as one line for a person: which parameter, what is wrong."""
    return "; ".join(
        f"{name}: {' '.join(str(m) for m in messages)}" for name, messages in form.errors.items()
    )
