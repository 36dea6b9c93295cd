"""Plain-text description of a knowledge pack, for ``itp-desktop kb show``.

`describe_pack` lists the pack metadata (and any department overrides), every rule with its
``id@version``, verification mark, family, title and citation keys, and then every source with
its full reference. Small formatting helpers shared with `itp_desktop.knowledge.docs` live here
too (numbers without trailing zeros, adequacy rules in words).

May import: core, stdlib.
"""

from __future__ import annotations

from itp_desktop.core.models.knowledge import AdequacyRule, KnowledgePack, PackMeta, RuleMeta

# Families in reading order; families not listed follow alphabetically.
FAMILY_ORDER: tuple[str, ...] = (
    "definition",
    "response",
    "adequacy",
    "catalogue",
    "monitoring",
    "checklist",
    "finding",
    "rescue",
    "pitfall",
    "dosing",
    "option",
)


def fmt_num(value: float) -> str:
    """Render a number without a spurious ``.0`` (``10.0`` → ``10``, ``0.5`` → ``0.5``)."""
    return f"{value:g}"


def family_key(family: str) -> tuple[int, str]:
    """Sort key placing known families in reading order, then the rest alphabetically."""
    try:
        return (FAMILY_ORDER.index(family), family)
    except ValueError:
        return (len(FAMILY_ORDER), family)


def rules_by_family(pack: KnowledgePack) -> list[tuple[str, list[RuleMeta]]]:
    """Rules grouped by family (reading order), each group sorted by id."""
    groups: dict[str, list[RuleMeta]] = {}
    for rule in pack.rules.values():
        groups.setdefault(rule.family, []).append(rule)
    return [
        (family, sorted(groups[family], key=lambda r: r.id))
        for family in sorted(groups, key=family_key)
    ]


def describe_adequacy(rule: AdequacyRule) -> str:
    """One sentence saying when a trial is adequate and which code a shortfall gives."""
    if rule.kind == "regimen":
        regimens = " or ".join(
            f"{r.administrations} × {fmt_num(r.dose)} {r.unit} (±{fmt_num(r.tolerance * 100)}%)"
            for r in rule.regimens
        )
        text = f"one of {regimens} given; fewer administrations → incomplete_course"
        if rule.low_dose is not None:
            low = rule.low_dose
            text += (
                f"; low dose {low.administrations} × {fmt_num(low.dose)} {low.unit} → "
                f"{rule.below_dose_code}"
            )
        return text
    dose = f"{fmt_num(rule.dose or 0)} {rule.unit}"
    per = "per administration" if rule.per == "administration" else "per day"
    if rule.kind == "days_at_dose":
        text = f"≥ {rule.min_days} days at ≥ {dose} {per}"
    elif rule.kind == "dose_reached_and_total_days":
        text = f"{dose} {per} reached and the whole course ≥ {rule.min_days} days"
    else:
        text = f"at least one cycle of {rule.min_days} days (or administrations) at ≥ {dose} {per}"
    return f"{text}; lower dose → {rule.below_dose_code}; too short → duration_too_short"


def describe_meta(meta: PackMeta) -> str:
    """``id version (status), approved DATE by NAME`` on one line."""
    approval = "not approved"
    if meta.approval_date is not None:
        approval = f"approved {meta.approval_date.isoformat()}"
        if meta.approved_by:
            approval += f" by {meta.approved_by}"
    return f"{meta.id} {meta.version} ({meta.status}, {approval})"


def describe_pack(pack: KnowledgePack) -> str:
    """Text listing of a pack: metadata, every rule, then every source with its reference.

    Args:
        pack: a validated pack (with any overrides applied).

    Returns:
        Lines joined with newlines, ending in a newline.
    """
    lines = [f"Knowledge pack {describe_meta(pack.meta)}", f"  {pack.meta.title}"]
    if pack.meta.description:
        lines.append(f"  {pack.meta.description}")
    for override in pack.overrides:
        lines.append(f"  Department override: {describe_meta(override)} — {override.title}")
    lines += ["", f"Rules ({len(pack.rules)}):"]
    for family, rules in rules_by_family(pack):
        lines.append(f"  [{family}]")
        for rule in rules:
            lines.append(f"    {rule.ref}  {rule.verification}  {rule.title}")
            lines.append(f"      sources: {', '.join(rule.citations)}")
            if rule.verification_note:
                lines.append(f"      mark note: {rule.verification_note}")
    lines += ["", f"Sources ({len(pack.citations)}):"]
    for key in sorted(pack.citations, key=str.casefold):
        citation = pack.citations[key]
        where = f" [{citation.locator}]" if citation.locator else ""
        lines.append(f"  {key}: {citation.reference}{where}")
    return "\n".join(lines) + "\n"
