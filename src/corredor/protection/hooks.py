"""Protection at the desk.

- ``notices``: the short vulnerability screening, open where it applies (a child, a protective alert hit, a
  return due to depart) and folded away otherwise (the officer opens it to refer, or for an asylum
  intention). Ticking "unaccompanied or separated child" makes Refer the default decision (protection's
  desk script). An assisted return due to leave from this post is announced.
- ``before_record``: checks the answers (a referral needs a provider and consent or an override with a
  reason); a bad answer refuses the crossing with the field named, so nothing half-written is left.
- ``after_record``: stores the screening and the referral with the crossing; an exit of a traveller whose
  return leaves from this post is recorded as the return's departure.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from corredor.border.documents import age_on
from corredor.border.hooks import CrossingContext, DeskHook, DeskNotice
from corredor.core.errors import ApplicationError
from corredor.core.permissions import has_role, refuse
from corredor.protection import selectors, services
from corredor.protection.consent import DATA_CATEGORIES, ConsentTerms, consent_terms
from corredor.protection.models import Avrr, AvrrStatus, DataCategory, Indicator, ServiceKind
from corredor.protection.permissions import REFERRING_ROLES

if TYPE_CHECKING:
    from corredor.border.models import Crossing

PREFIX = "hook_protection_"
ADULT_AGE = 18


@dataclass(frozen=True)
class DeskAnswers:
    indicators: list[str]
    provider: str
    service: str
    consent: ConsentTerms | None
    note: str


def _protective_hit(context: CrossingContext) -> bool:
    from corredor.screening import selectors as screening_selectors
    from corredor.screening.hooks import traveller_of

    # The desk and the crossing's record screen once: screening's hook (registered before this one) leaves
    # its result in the context. Only a caller without it screens here.
    screening = context.found.get("screening")
    if screening is None:
        screening = screening_selectors.screening_run(
            traveller=traveller_of(context.document), post=context.post_code
        )
    return any(p.protective and p.cleared is None for p in screening.persons)


def asked_because(context: CrossingContext, *, indicators: list[str] | None = None) -> list[str]:
    """Why the screening applies to this traveller: child, protective_alert (and, once answered,
    officer_referral, asylum)."""
    reasons = []
    age = age_on(context.document.birth_date, timezone.localdate())
    if age is not None and age < ADULT_AGE:
        reasons.append("child")
    if _protective_hit(context):
        reasons.append("protective_alert")
    if context.decision == "referred":
        reasons.append("officer_referral")
    if indicators and Indicator.ASYLUM in indicators:
        reasons.append("asylum")
    return reasons


def answers_of(context: CrossingContext) -> DeskAnswers:
    """The panel's fields, checked. Consent is read only when a provider is chosen."""
    answers = context.answers
    indicators = [i for i in Indicator.values if answers.get(PREFIX + i)]
    provider = answers.get(PREFIX + "provider", "").strip()
    service = answers.get(PREFIX + "service", "").strip()
    consent = None
    if provider:
        choice = answers.get(PREFIX + "consent", "")
        consent = consent_terms(
            given={"given": True, "override": False}.get(choice),
            data=[d for d in DATA_CATEGORIES if answers.get(PREFIX + "data_" + d)],
            purpose=answers.get(PREFIX + "purpose", ""),
            override_reason=answers.get(PREFIX + "override_reason", ""),
            language=answers.get(PREFIX + "language", ""),
        )
    return DeskAnswers(indicators, provider, service, consent, answers.get(PREFIX + "note", "")[:2000])


def _service_for(indicators: list[str], child: bool) -> str:
    if child or Indicator.UNACCOMPANIED_CHILD in indicators:
        return ServiceKind.CHILD_PROTECTION
    if Indicator.ASYLUM in indicators:
        return ServiceKind.ASYLUM
    if Indicator.MEDICAL in indicators or Indicator.PREGNANCY in indicators:
        return ServiceKind.MEDICAL
    if Indicator.TRAFFICKING in indicators or Indicator.GBV in indicators:
        return ServiceKind.SHELTER
    return ""


class ProtectionHook(DeskHook):
    """Protection's place at the desk (registered in ProtectionConfig.ready)."""

    name = "protection"

    def notices(self, context: CrossingContext) -> list[DeskNotice]:
        reasons = asked_because(context)
        child = "child" in reasons
        notices = []
        if context.traveller is not None:
            avrr = (
                Avrr.objects.filter(
                    case__traveller_id=context.traveller.pk,
                    status=AvrrStatus.TRAVEL,
                    departure_post_id=context.post_code,
                )
                .select_related("destination")
                .first()
            )
            if avrr is not None:
                lines = [_("Record the exit: it is the return's departure.")]
                if avrr.escort:
                    lines.append(_("Escort: %(escort)s") % {"escort": avrr.escort})
                notices.append(
                    DeskNotice(
                        source="protection",
                        level="info",
                        title=_("Assisted voluntary return to %(country)s, departure arranged for %(date)s")
                        % {"country": avrr.destination.name, "date": avrr.travel_date},
                        lines=tuple(lines),
                        data={"kind": "avrr", "avrr": str(avrr.pk)},
                    )
                )
        # Our own template renders the panel, escaping what it shows: safe to place in the desk's form.
        panel = render_to_string(
            "protection/_desk_panel.html",
            {
                "open": bool(reasons),
                "child": child,
                "indicators": Indicator.choices,
                "providers": list(selectors.providers_for_referral(border=True)),
                "services": ServiceKind.choices,
                "default_service": _service_for([], child),
                "data_categories": DataCategory.choices,
                "prefix": PREFIX,
            },
        )
        notices.append(
            DeskNotice(
                source="protection",
                level="warning",
                title=_("A child: ask the vulnerability screening below.") if child else "",
                lines=(_("Is the child travelling with a parent or legal guardian?"),) if child else (),
                data={"kind": "screening", "asked_because": reasons},
                panel=mark_safe(panel),
            )
        )
        return notices

    def before_record(self, context: CrossingContext) -> str | None:
        try:
            answers = answers_of(context)
        except ApplicationError as error:
            detail = error.detail if isinstance(error.detail, dict) else {}
            raise ApplicationError(
                _("Referral not made, nothing was recorded: %(message)s") % {"message": error.message},
                detail={**detail, "hook": "protection"},
            ) from None
        if answers.provider:
            # Checked before anything is written: the crossing is refused with the referral.
            if not has_role(context.officer, *REFERRING_ROLES):
                raise refuse(context.officer, _("Only border officers refer from the desk."), "referrals")
            services.provider_get(answers.provider, border=True)
        context.found[self.name] = answers
        return None

    def after_record(self, crossing: Crossing, context: CrossingContext) -> None:
        services.avrr_departure_link(crossing=crossing)
        answers: DeskAnswers | None = context.found.get(self.name)
        if answers is None or not (answers.indicators or answers.provider):
            return
        reasons = asked_because(context, indicators=answers.indicators)
        services.screening_record(
            officer=crossing.officer, crossing=crossing, indicators=answers.indicators, asked_because=reasons
        )
        if answers.provider and answers.consent is not None:
            child = "child" in reasons
            services.referral_from_desk(
                officer=crossing.officer,
                crossing=crossing,
                provider=services.provider_get(answers.provider, border=True),
                service=answers.service or _service_for(answers.indicators, child),
                consent=answers.consent,
                indicators=answers.indicators,
                child=child,
                note=answers.note,
            )
