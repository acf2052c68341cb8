"""Load the compiled message catalogs, one gettext translation per language."""

from __future__ import annotations

import gettext
import io
from functools import cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from bot.i18n.locales import NAMES

DOMAIN = "segbot"
#: Every language segbot speaks; English is the source language and has no catalog.
LANGUAGES: tuple[str, ...] = tuple(NAMES)


def catalog_dir() -> Path:
    """The folder holding ``<language>/LC_MESSAGES/segbot.po`` (and its compiled ``.mo``)."""
    return Path(__file__).with_name("catalogs")


@cache
def translations(language: str) -> gettext.NullTranslations:
    """The translation for a supported language (English: texts as written).

    The ``.mo`` compiled at build or install time is read when it is at least as new as its
    ``.po``; otherwise (a checkout that was never built, a catalog edited since) the ``.po`` is
    compiled in memory, so a catalog never lags behind its source.
    """
    if language == "en":
        return gettext.NullTranslations()
    folder = catalog_dir() / language / "LC_MESSAGES"
    po, mo = folder / f"{DOMAIN}.po", folder / f"{DOMAIN}.mo"
    if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
        with mo.open("rb") as handle:
            return gettext.GNUTranslations(handle)
    return gettext.GNUTranslations(io.BytesIO(compile_po(po)))


def compile_po(po: Path) -> bytes:
    """A ``.po`` file compiled to ``.mo`` bytes (fuzzy entries left out, as gettext does)."""
    with po.open("rb") as handle:
        catalog = read_po(handle, locale=po.parent.parent.name, domain=DOMAIN)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


def compile_catalogs(root: Path | None = None) -> list[Path]:
    """Compile every ``.po`` under ``root`` to the ``.mo`` beside it; the files written."""
    written = []
    for po in sorted((root or catalog_dir()).glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        mo = po.with_suffix(".mo")
        mo.write_bytes(compile_po(po))
        written.append(mo)
    return written
