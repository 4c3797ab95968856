"""The entry guide's answers, computed from a snapshot of the stay rules (plain data, no database).

The snapshot is what central's reference data says (`corredor.infohub.selectors.rules_snapshot`) and what a
bundle carries to the hub: stay categories, common areas (CA-4), stay rules, border posts and the border
policy for minors. The rule chosen here is the one the desk would apply (`border.selectors.stay_rule_for`:
nationality beats area of nationality beats any; a category beats any), and the days come from the desk's
own arithmetic (`border.stay_rules`), so the public site and the officer never disagree.
"""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from corredor.border import stay_rules

MODES = ("land", "air", "sea")
POST_KIND_FOR_MODE = {"land": "land", "air": "airport", "sea": "seaport"}


@dataclass(frozen=True)
class AreaNote:
    """A common area that matters to this traveller: whether days add up across it, and its members."""

    code: str
    names: dict[str, str]
    members: list[str]
    days_add_up: bool
    country_is_member: bool
    nationality_is_member: bool


@dataclass(frozen=True)
class EntryAnswer:
    """What a national of `nationality` entering `country` by `mode` for `category` needs to know."""

    country: str
    nationality: str
    mode: str
    category: str
    category_names: dict[str, str]
    is_national: bool
    visa_required: bool | None
    visa_note: dict[str, str]
    open_ended: bool
    days: int
    window_days: int | None
    window_length: int | None
    rule_name: str
    until_if_entering_today: date | None
    areas: list[AreaNote] = field(default_factory=list)
    posts: list[dict[str, Any]] = field(default_factory=list)
    age_of_majority: int = 18
    national_minor_exit_permit: bool = False
    expired_document_refused: bool = False


def choose_rule(
    rules: list[dict[str, Any]], areas: list[dict[str, Any]], *, nationality: str, category: str
) -> dict[str, Any] | None:
    """The most specific active rule for the nationality and category (as the desk chooses it)."""
    member_of = {area["code"] for area in areas if nationality in area["members"]}
    candidates = [
        rule
        for rule in rules
        if rule.get("active", True)
        and rule["category"] in (category, None)
        and (
            rule["nationality"] == nationality
            or rule["nationality_area"] in member_of
            or (rule["nationality"] is None and rule["nationality_area"] is None)
        )
    ]

    def specificity(rule: dict[str, Any]) -> tuple[int, int, int]:
        nat = 2 if rule["nationality"] else 1 if rule["nationality_area"] else 0
        return (nat, 1 if rule["category"] else 0, -int(rule["id"]))

    return max(candidates, key=specificity) if candidates else None


def entry_answer(
    snapshot: dict[str, Any], *, nationality: str, mode: str, category: str, today: date
) -> EntryAnswer:
    """The guide's answer for one nationality, way of entry and purpose, from the rules in `snapshot`."""
    country = snapshot["country"]
    categories = {c["code"]: c for c in snapshot["categories"]}
    chosen = categories.get(category) or categories.get("tourist") or next(iter(categories.values()))
    areas = snapshot.get("areas", [])
    rule = choose_rule(snapshot["rules"], areas, nationality=nationality, category=chosen["code"])
    visa = snapshot.get("visa", {}).get(nationality)
    window_days = window_length = None
    if chosen["open_ended"]:
        days, rule_name, until = 0, "", None
    elif rule is None:
        days, rule_name = chosen["default_days"], ""
        until = stay_rules.last_day(today, days) if days else None
    else:
        window_days, window_length = rule["window_days"], rule["window_length"]
        allowance = stay_rules.allowed_days(
            stay_rules.Rule(rule["days_per_entry"], window_days, window_length), entry_date=today
        )
        days, rule_name, until = allowance.days, rule["name"], allowance.authorised_until
    adding_up = {rule["common_area"]} if rule and rule.get("common_area") else set()
    notes = [
        AreaNote(
            code=area["code"],
            names=area["names"],
            members=list(area["members"]),
            days_add_up=area["code"] in adding_up,
            country_is_member=country in area["members"],
            nationality_is_member=nationality in area["members"],
        )
        for area in areas
        if area["code"] in adding_up or nationality in area["members"] or country in area["members"]
    ]
    kind = POST_KIND_FOR_MODE.get(mode, "land")
    posts = [post for post in snapshot.get("posts", []) if post["kind"] == kind]
    minors = snapshot.get("minors", {})
    return EntryAnswer(
        country=country,
        nationality=nationality,
        mode=mode if mode in MODES else "land",
        category=chosen["code"],
        category_names=chosen["names"],
        is_national=nationality == country,
        visa_required=None if visa is None else bool(visa["visa_required"]),
        visa_note=dict(visa.get("note", {})) if visa else {},
        open_ended=bool(chosen["open_ended"]),
        days=days,
        window_days=window_days,
        window_length=window_length,
        rule_name=rule_name,
        until_if_entering_today=until,
        areas=notes,
        posts=posts,
        age_of_majority=int(minors.get("age_of_majority", 18)),
        national_minor_exit_permit=bool(minors.get("minor_exit_permit", False)),
        expired_document_refused=minors.get("expired_document") == "refuse",
    )
