"""Generates docs/RULES.md, the human-readable catalogue of a knowledge pack.

`render_rules_markdown` lists every rule family (id@version, verification mark, what fires it,
what it says, sources with full references), the agent catalogue with adequacy rules and
monitoring, the checklists' items, options and reasons when present, and the thresholds.
Run ``python -m itp_desktop.knowledge.docs > docs/RULES.md`` to regenerate the file; a unit
test fails when the committed file and the bundled pack disagree.

May import: core, stdlib, itp_desktop.knowledge.*.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable

from itp_desktop.core.models.knowledge import AgentInfo, KnowledgePack, RuleMeta, Thresholds
from itp_desktop.knowledge.describe import (
    describe_adequacy,
    describe_meta,
    fmt_num,
    rules_by_family,
)
from itp_desktop.knowledge.loader import load_default_pack

REGENERATE = "python -m itp_desktop.knowledge.docs > docs/RULES.md"

MARKS = (
    ("V", "confirmed against the cited source"),
    ("S", "stated only by a project source document (shown as that document's claim)"),
    ("M", "standard clinical knowledge awaiting clinician sign-off — never a hard rule"),
    ("U", "uncertain — never a hard rule; shown as “needs review”"),
)


def _cell(text: str) -> str:
    """Escape text for a Markdown table cell."""
    return text.replace("|", "\\|").replace("\n", " ")


def _sources(pack: KnowledgePack, keys: Iterable[str]) -> list[str]:
    lines = []
    for key in keys:
        citation = pack.citations[key]
        where = f" ({citation.locator})" if citation.locator else ""
        lines.append(f"  - `{key}` — {citation.reference}{where}")
    return lines


def _rule_section(pack: KnowledgePack, rule: RuleMeta) -> list[str]:
    lines = [f"### {rule.id}@{rule.version} — {rule.title}", ""]
    mark = f"- **Mark:** {rule.verification}"
    if rule.verification_note:
        mark += f" — {rule.verification_note}"
    lines.append(mark)
    if rule.severity is not None:
        finding = f" (finding `{rule.finding_code}`)" if rule.finding_code else ""
        lines.append(f"- **Severity:** {rule.severity}{finding}")
    lines.append(f"- **Fires when:** {rule.fires_when}")
    if rule.message:
        lines.append(f"- **Says:** {rule.message}")
    lines.append(f"- **Review by:** {rule.review_date.isoformat()}")
    lines.append("- **Sources:**")
    lines += _sources(pack, rule.citations)
    lines.append("")
    return lines


def _agent_section(pack: KnowledgePack, agent: AgentInfo) -> list[str]:
    rule = pack.rules[agent.rule]
    lines = [f"### {agent.name} (`{agent.code}`) — {rule.ref}", ""]
    brands = f" ({', '.join(agent.brand_names)})" if agent.brand_names else ""
    mechanisms = ", ".join([agent.mechanism, *agent.secondary_mechanisms])
    lines += [
        f"- **Class:** {agent.drug_class}{brands}; mechanism: {mechanisms}",
        f"- **Mark:** {agent.verification}",
        f"- **Dose units:** {', '.join(agent.allowed_units)}",
        f"- **Start dose:** {agent.start_dose}",
    ]
    if agent.max_dose:
        lines.append(f"- **Maximum dose:** {agent.max_dose}")
    if agent.titration:
        lines.append(f"- **Titration:** {agent.titration}")
    lines.append(f"- **Evaluation period:** {agent.evaluation_period_days} days")
    if agent.adequacy is None:
        lines.append("- **Adequate trial:** no rule (adequate_trial is null)")
    else:
        adq = pack.rules[agent.adequacy.rule]
        lines.append(
            f"- **Adequate trial** ({adq.ref}, mark {adq.verification}): "
            f"{describe_adequacy(agent.adequacy)}"
        )
    if agent.monitoring:
        lines.append("- **Monitoring:**")
        for item in agent.monitoring:
            extra = f" for {item.duration_days} days" if item.duration_days else ""
            lines.append(
                f"  - {item.label} — `{item.code}`, {item.when}, every {item.interval_days} "
                f"days{extra} ({pack.rules[item.rule].ref})"
            )
    if agent.cautions:
        lines.append("- **Cautions:**")
        lines += [f"  - {caution}" for caution in agent.cautions]
    if agent.patient_instructions:
        lines.append(f"- **Patient instructions:** {agent.patient_instructions}")
    lines.append(f"- **Sources:** {', '.join(f'`{key}`' for key in agent.citations)}")
    lines.append("")
    return lines


def _checklist_items(pack: KnowledgePack) -> list[str]:
    lines = ["## Checklist items", "", "### Splenectomy immunizations", ""]
    lines += ["| item | label | accepts | schedule | rule |", "|---|---|---|---|---|"]
    for vaccine in pack.splenectomy_vaccines:
        lines.append(
            f"| `{vaccine.code}` | {_cell(vaccine.label)} | {', '.join(vaccine.accepts)} | "
            f"{_cell(vaccine.schedule)} | {pack.rules[vaccine.rule].ref} |"
        )
    lines += ["", "### Secondary causes", ""]
    lines += ["| item | label | tests | rule |", "|---|---|---|---|"]
    for cause in pack.secondary_causes:
        lines.append(
            f"| `{cause.code}` | {_cell(cause.label)} | {', '.join(cause.tests)} | "
            f"{pack.rules[cause.rule].ref} |"
        )
    lines.append("")
    return lines


def _options(pack: KnowledgePack) -> list[str]:
    if not pack.options and not pack.reasons:
        return []
    lines = ["## Options and reasons", ""]
    if pack.options:
        lines += ["| option | label | components | rule |", "|---|---|---|---|"]
        for code in sorted(pack.options):
            option = pack.options[code]
            lines.append(
                f"| `{code}` | {_cell(option.label)} | {', '.join(option.components)} | "
                f"{pack.rules[option.rule].ref} |"
            )
        lines.append("")
    if pack.reasons:
        lines += ["| reason | kind | mark | text | sources |", "|---|---|---|---|---|"]
        for code in sorted(pack.reasons):
            reason = pack.reasons[code]
            lines.append(
                f"| `{code}` | {reason.kind} | {reason.verification} | {_cell(reason.text)} | "
                f"{', '.join(reason.citations)} |"
            )
        lines.append("")
    return lines


def _thresholds(thresholds: Thresholds) -> list[str]:
    lines = ["## Thresholds", "", "Platelet counts in ×10⁹/L.", ""]
    lines += ["| threshold | value |", "|---|---|"]
    for name, value in thresholds.model_dump().items():
        if name in ("procedure_targets", "bleeding_bands"):
            continue
        lines.append(f"| `{name}` | {fmt_num(value)} |")
    lines += ["", "### Procedure targets", "", "| procedure | target |", "|---|---|"]
    for kind, target in thresholds.procedure_targets.items():
        lines.append(f"| `{kind}` | ≥ {fmt_num(target)} |")
    if thresholds.bleeding_bands:
        lines += ["", "### Bleeding-risk bands", "", "| band | counts | meaning |"]
        lines.append("|---|---|---|")
        for band in thresholds.bleeding_bands:
            if band.upper is None:
                counts = f"≥ {fmt_num(band.lower)}"
            else:
                counts = f"{fmt_num(band.lower)} to < {fmt_num(band.upper)}"
            lines.append(f"| {band.code} | {counts} | {_cell(band.meaning)} |")
    lines.append("")
    return lines


def render_rules_markdown(pack: KnowledgePack) -> str:
    """Render the Markdown catalogue of `pack` (the content of docs/RULES.md).

    Args:
        pack: a validated pack.

    Returns:
        Markdown text ending in a newline; deterministic for a given pack.
    """
    families = rules_by_family(pack)
    lines = [
        f"# Rules of knowledge pack {pack.meta.id} {pack.meta.version}",
        "",
        f"Generated from the bundled pack by `{REGENERATE}`; do not edit by hand.",
        "",
        f"Pack: {describe_meta(pack.meta)} — {pack.meta.title}.",
        "",
    ]
    if "disclaimer" in pack.texts:
        lines += [f"> {pack.texts['disclaimer']}", ""]
    lines += ["Verification marks (ITP_REFERENCE.md 0.2):", ""]
    lines += [f"- **{mark}**: {meaning}" for mark, meaning in MARKS]
    lines += ["", "## Contents", ""]
    lines += [f"- Rules: {family} ({len(rules)})" for family, rules in families]
    lines += [
        "- Agent catalogue",
        "- Checklist items",
        *(["- Options and reasons"] if pack.options or pack.reasons else []),
        "- Thresholds",
        "- Sources",
        "",
    ]
    for family, rules in families:
        lines += [f"## Rules: {family}", ""]
        for rule in rules:
            lines += _rule_section(pack, rule)
    lines += ["## Agent catalogue", ""]
    for agent in pack.agents.values():
        lines += _agent_section(pack, agent)
    lines += _checklist_items(pack)
    lines += _options(pack)
    lines += _thresholds(pack.thresholds)
    lines += ["## Sources", ""]
    lines += [
        line.removeprefix("  ") for line in _sources(pack, sorted(pack.citations, key=str.casefold))
    ]
    return "\n".join(lines).rstrip("\n") + "\n"


def main() -> None:
    """Print docs/RULES.md for the bundled default pack."""
    # Bytes, so the file is UTF-8 whatever the console encoding (×, ≥, µ in the texts).
    sys.stdout.buffer.write(render_rules_markdown(load_default_pack()).encode("utf-8"))


if __name__ == "__main__":
    main()
