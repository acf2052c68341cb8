"""Build hook: compile the message catalogs (``.po`` -> ``.mo``) into the package.

Everything else about the package is declared in ``pyproject.toml``.
"""

from __future__ import annotations

import io
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from setuptools import setup
from setuptools.command.build_py import build_py

CATALOGS = Path(__file__).parent / "bot" / "i18n" / "catalogs"


class BuildWithCatalogs(build_py):
    """``build_py`` that first compiles every ``segbot.po`` to the ``segbot.mo`` beside it."""

    def run(self) -> None:
        for po in sorted(CATALOGS.glob("*/LC_MESSAGES/segbot.po")):
            with po.open("rb") as handle:
                catalog = read_po(handle, locale=po.parent.parent.name, domain="segbot")
            buffer = io.BytesIO()
            write_mo(buffer, catalog, use_fuzzy=False)
            po.with_suffix(".mo").write_bytes(buffer.getvalue())
        super().run()


setup(cmdclass={"build_py": BuildWithCatalogs})
