"""Forms of the emergencies pages: a new event, site, flow monitoring point, round."""

from django import forms
from django.utils.translation import gettext_lazy as _

from corredor.displacement.models import SITE_SERVICES, EventKind, FlowMonitoringPoint, Site


class EventForm(forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=80)
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=EventKind.choices)
    country_code = forms.CharField(label=_("Country (ISO alpha-3)"), min_length=3, max_length=3)
    started_on = forms.DateField(label=_("Started on"), widget=forms.DateInput(attrs={"type": "date"}))
    affected_pcodes = forms.CharField(
        label=_("Affected areas (p-codes, separated by spaces)"), required=False, max_length=2000
    )

    def clean_affected_pcodes(self) -> list[str]:
        return str(self.cleaned_data.get("affected_pcodes") or "").replace(",", " ").split()


class SiteForm(forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=40)
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=Site.Kind.choices)
    area_pcode = forms.CharField(label=_("Admin area (p-code)"), max_length=20)
    latitude = forms.FloatField(label=_("Latitude"), required=False, min_value=-90, max_value=90)
    longitude = forms.FloatField(label=_("Longitude"), required=False, min_value=-180, max_value=180)
    managing_agency = forms.CharField(label=_("Managing agency"), required=False, max_length=200)
    capacity = forms.IntegerField(label=_("Capacity (people)"), min_value=0, max_value=10_000_000, initial=0)
    services = forms.MultipleChoiceField(
        label=_("Services"),
        choices=list(SITE_SERVICES.items()),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class FlowPointForm(forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=40)
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=FlowMonitoringPoint.Kind.choices)
    area_pcode = forms.CharField(label=_("Admin area (p-code)"), max_length=20)
    border_post_code = forms.CharField(
        label=_("Border post (code), if it is one"), required=False, max_length=10
    )
    latitude = forms.FloatField(label=_("Latitude"), required=False, min_value=-90, max_value=90)
    longitude = forms.FloatField(label=_("Longitude"), required=False, min_value=-180, max_value=180)


class RoundForm(forms.Form):
    reporting_date = forms.DateField(
        label=_("Reporting date"), widget=forms.DateInput(attrs={"type": "date"})
    )


class EventEndForm(forms.Form):
    ended_on = forms.DateField(label=_("Ended on"), widget=forms.DateInput(attrs={"type": "date"}))
