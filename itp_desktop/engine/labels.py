"""Plain words for codes inside engine messages, so no internal code reaches a clinician.

Agent codes read as words except a few (``anti_d`` → "anti-D", ``ivig`` → "IVIG"); inadequacy
codes and option codes use the knowledge pack's labels. May import: core, stdlib.
"""

from __future__ import annotations

from collections.abc import Iterable

from itp_desktop.core.codes import AgentCode, InadequacyCode
from itp_desktop.core.models.knowledge import KnowledgePack

_AGENT_WORDS: dict[AgentCode, str] = {AgentCode.anti_d: "anti-D", AgentCode.ivig: "IVIG"}


def agent_word(code: AgentCode) -> str:
    """The agent as a word inside a sentence, e.g. ``romiplostim``, ``anti-D``."""
    return _AGENT_WORDS.get(code, code.value)


def inadequacy_words(pack: KnowledgePack, codes: Iterable[InadequacyCode]) -> str:
    """Inadequacy codes as pack labels, lower-cased and comma-joined."""
    words = []
    for code in codes:
        label = pack.texts.get(f"inadequacy.{code.value}", code.value.replace("_", " "))
        words.append(label[:1].lower() + label[1:])
    return ", ".join(words)


def option_word(pack: KnowledgePack, code: str) -> str:
    """An option code as its pack label (e.g. ``switch_tpo_ra`` → "Switch to another TPO-RA")."""
    info = pack.options.get(code)
    return info.label if info is not None else code.replace("_", " ")
