"""Consent to a referral, as plain data: what the person agreed to share, with whom, for what purpose; or,
without consent, the override and its reason. No database: the rules are checked here and tested alone."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from corredor.core.errors import ApplicationError

DATA_CATEGORIES = ("identity", "contact", "screening", "documents", "case_notes")
# An override (no consent, a child's best interests) shares the least that lets the receiver act.
OVERRIDE_SHARES = ("identity", "screening")
MIN_REASON = 10


@dataclass(frozen=True)
class ConsentTerms:
    """What a transition is made under. `given`: the person agreed to `data` for `purpose`; otherwise
    `override_reason` says why it was sent all the same."""

    given: bool
    data: tuple[str, ...]
    purpose: str
    override_reason: str
    language: str = ""

    @property
    def shares(self) -> tuple[str, ...]:
        """The data categories the receiving side may see."""
        return self.data if self.given else OVERRIDE_SHARES


def consent_terms(
    *,
    given: bool | None,
    data: list[str] | tuple[str, ...],
    purpose: str,
    override_reason: str,
    language: str = "",
) -> ConsentTerms:
    """Check and normalise consent. `given` None: the officer answered nothing (refused: a referral needs
    consent or an override). Errors name the field (`consent`, `consent_data`, `consent_purpose`,
    `consent_override_reason`)."""
    purpose = (purpose or "").strip()
    reason = (override_reason or "").strip()
    if given is None:
        raise ApplicationError(
            _("A referral needs the person's consent, or an override with a reason."),
            detail={"field": "consent"},
        )
    unknown = [d for d in data if d not in DATA_CATEGORIES]
    if unknown:
        raise ApplicationError(
            _("Unknown kind of data to share: %(what)s.") % {"what": ", ".join(sorted(unknown))},
            detail={"field": "consent_data"},
        )
    if given:
        chosen = tuple(d for d in DATA_CATEGORIES if d in data)
        if not chosen:
            raise ApplicationError(
                _("Say which data the person agreed to share."), detail={"field": "consent_data"}
            )
        if len(purpose) < 3:
            raise ApplicationError(
                _("Say for what purpose the person agreed to the referral."),
                detail={"field": "consent_purpose"},
            )
        return ConsentTerms(True, chosen, purpose[:300], "", language[:5])
    if len(reason) < MIN_REASON:
        raise ApplicationError(
            _("Without consent, a referral needs the reason for overriding it (at least %(n)s characters).")
            % {"n": MIN_REASON},
            detail={"field": "consent_override_reason"},
        )
    return ConsentTerms(False, OVERRIDE_SHARES, purpose[:300], reason, language[:5])
