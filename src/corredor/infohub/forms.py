"""Editors' forms: each translated text has one field per hub language, shown side by side."""

from datetime import datetime
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from corredor.infohub.languages import HUB_LANGUAGE_CODES, LANGUAGE_LABELS
from corredor.infohub.models import Alert, AlertKind, Service, ServiceKind, Topic


class TranslatedFieldsMixin(forms.Form):
    """Adds `<name>_<lang>` fields for each translated text and gathers them back into one dict."""

    translated: tuple[tuple[str, Any, bool], ...] = ()

    def add_translated(self, values: dict[str, dict[str, str]]) -> None:
        for name, label, long_text in self.translated:
            for lang in HUB_LANGUAGE_CODES:
                widget = (
                    forms.Textarea(attrs={"rows": 4, "lang": lang})
                    if long_text
                    else forms.TextInput(attrs={"lang": lang})
                )
                self.fields[f"{name}_{lang}"] = forms.CharField(
                    label=f"{label} ({LANGUAGE_LABELS[lang]})",
                    required=False,
                    widget=widget,
                    initial=(values.get(name) or {}).get(lang, ""),
                )

    def texts(self, name: str) -> dict[str, str]:
        return {
            lang: self.cleaned_data.get(f"{name}_{lang}", "")
            for lang in HUB_LANGUAGE_CODES
            if self.cleaned_data.get(f"{name}_{lang}")
        }

    def translated_rows(self) -> list[dict[str, Any]]:
        """For the template: one row per translated text, its fields side by side."""
        return [
            {"label": label, "fields": [self[f"{name}_{lang}"] for lang in HUB_LANGUAGE_CODES]}
            for name, label, _long in self.translated
        ]


class ServiceForm(TranslatedFieldsMixin):
    translated = (("description", _("Description"), True),)

    kind = forms.ChoiceField(label=_("Kind"), choices=ServiceKind.choices)
    name = forms.CharField(label=_("Name"), max_length=200)
    city = forms.CharField(label=_("City or town"), max_length=100)
    near_post = forms.CharField(label=_("Near border post (code)"), max_length=10, required=False)
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=60, required=False)
    hours = forms.CharField(label=_("Opening hours"), max_length=200, required=False)
    languages = forms.MultipleChoiceField(
        label=_("Languages spoken"),
        choices=[(code, LANGUAGE_LABELS[code]) for code in HUB_LANGUAGE_CODES],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    latitude = forms.FloatField(label=_("Latitude"), min_value=-90, max_value=90)
    longitude = forms.FloatField(label=_("Longitude"), min_value=-180, max_value=180)

    def __init__(self, data: Any = None, *, service: Service | None = None) -> None:
        initial = {}
        if service is not None:
            initial = {
                name: getattr(service, name)
                for name in (
                    "kind",
                    "name",
                    "city",
                    "near_post",
                    "address",
                    "phone",
                    "hours",
                    "languages",
                    "latitude",
                    "longitude",
                )
            }
        super().__init__(data, initial=initial)
        self.add_translated({"description": service.description if service else {}})

    def service_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "name": data["name"],
            "city": data["city"],
            "near_post": data["near_post"].upper(),
            "address": data["address"],
            "phone": data["phone"],
            "hours": data["hours"],
            "languages": data["languages"],
            "latitude": data["latitude"],
            "longitude": data["longitude"],
            "description": self.texts("description"),
        }


class AlertForm(TranslatedFieldsMixin):
    translated = (("title", _("Title"), False), ("body", _("Text"), True))

    kind = forms.ChoiceField(label=_("Kind"), choices=AlertKind.choices)
    area = forms.CharField(label=_("Area"), max_length=200)
    expires_at = forms.DateTimeField(
        label=_("Until"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )

    def __init__(self, data: Any = None, *, alert: Alert | None = None, initial_expiry: datetime) -> None:
        initial: dict[str, Any] = {"expires_at": initial_expiry.strftime("%Y-%m-%dT%H:%M")}
        if alert is not None:
            initial = {"kind": alert.kind, "area": alert.area, "expires_at": alert.expires_at}
        super().__init__(data, initial=initial)
        self.add_translated({"title": alert.title, "body": alert.body} if alert else {})

    def alert_fields(self) -> dict[str, Any]:
        return {
            "kind": self.cleaned_data["kind"],
            "area": self.cleaned_data["area"],
            "expires_at": self.cleaned_data["expires_at"],
            "title": self.texts("title"),
            "body": self.texts("body"),
        }


class TopicForm(TranslatedFieldsMixin):
    translated = (("title", _("Title"), False), ("body", _("Text"), True))

    def __init__(self, data: Any = None, *, topic: Topic | None = None) -> None:
        super().__init__(data)
        self.add_translated({"title": topic.title, "body": topic.body} if topic else {})

    def topic_fields(self) -> dict[str, Any]:
        return {"title": self.texts("title"), "body": self.texts("body")}


class VisaForm(TranslatedFieldsMixin):
    translated = (("note", _("Note"), False),)

    nationality = forms.ChoiceField(label=_("Nationality"))
    visa_required = forms.TypedChoiceField(
        label=_("Visa"),
        choices=[("1", _("Visa required")), ("0", _("No visa needed"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )

    def __init__(self, data: Any = None, *, countries: list[tuple[str, str]]) -> None:
        super().__init__(data)
        nationality = self.fields["nationality"]
        assert isinstance(nationality, forms.ChoiceField)
        nationality.choices = countries
        self.add_translated({})

    def visa_fields(self) -> dict[str, Any]:
        return {
            "nationality": self.cleaned_data["nationality"],
            "visa_required": self.cleaned_data["visa_required"],
            "note": self.texts("note"),
        }
