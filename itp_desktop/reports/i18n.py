"""Translatable strings of the documents a patient (or an emergency team) reads.

The patient plan, the emergency wallet card and the vaccination record take every fixed
sentence from a catalogue: one flat JSON object per language in
``itp_desktop/resources/i18n/<language>.json`` (English now; adding ``es.json`` with the same
keys adds Spanish). Values are `str.format` templates with named fields. A key missing from a
translation falls back to English, so a partial translation still renders; a key missing from
English is a programming error and raises `KeyError` (a unit test checks that every key the
code uses exists). The clinician plan is English: the knowledge-pack messages it prints are.

May import: stdlib, core. No reportlab here, so building a report context stays light.
"""

from __future__ import annotations

import functools
import json
from importlib import resources

from itp_desktop.core.errors import ReportError

DEFAULT_LANGUAGE = "en"


def _catalogue_dir() -> resources.abc.Traversable:
    return resources.files("itp_desktop").joinpath("resources", "i18n")


@functools.cache
def available_languages() -> tuple[str, ...]:
    """Language codes that have a catalogue file, sorted."""
    return tuple(
        sorted(
            entry.name.removesuffix(".json")
            for entry in _catalogue_dir().iterdir()
            if entry.name.endswith(".json")
        )
    )


@functools.cache
def _load(language: str) -> dict[str, str]:
    path = _catalogue_dir().joinpath(f"{language}.json")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ReportError(
            f"The text catalogue for language {language!r} could not be read",
            detail=str(exc),
        ) from exc
    if not isinstance(data, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in data.items()
    ):
        raise ReportError(f"The text catalogue {language}.json must map text keys to strings")
    return data


class Catalogue:
    """The strings of one language with English as the fallback.

    Args:
        language: a code from `available_languages()`, e.g. ``"en"``.

    Raises:
        ReportError: when no catalogue exists for `language`.
    """

    def __init__(self, language: str = DEFAULT_LANGUAGE) -> None:
        if language not in available_languages():
            raise ReportError(
                f"language: no translation for {language!r}; available: "
                + ", ".join(available_languages())
            )
        self.language = language
        self._strings = _load(language)
        self._fallback = _load(DEFAULT_LANGUAGE)

    def t(self, key: str, **values: object) -> str:
        """Return the text of `key`, formatted with `values`.

        Raises:
            KeyError: when `key` is not in the English catalogue (a bug, caught by tests).
        """
        text = self._strings.get(key)
        if text is None:
            text = self._fallback[key]
        return text.format(**values) if values else text

    def has(self, key: str) -> bool:
        """Whether `key` exists (in this language or in the English fallback)."""
        return key in self._strings or key in self._fallback

    def keys(self) -> frozenset[str]:
        """Every key of the English catalogue."""
        return frozenset(self._fallback)
