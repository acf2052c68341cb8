"""Dependencies point one way: bot -> segmentation, bot -> storage, and never back."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

FORBIDDEN: dict[str, frozenset[str]] = {
    "segmentation": frozenset({"telegram", "sqlite3", "sqlite_utils", "storage", "bot"}),
    "storage": frozenset({"telegram", "segmentation", "bot"}),
}


def imported_modules(path: Path) -> set[str]:
    """Top-level names of every module ``path`` imports, anywhere in the file.

    ``from . import x`` stays inside the package and is skipped; ``from ..storage import x``
    climbs out of a top-level package and counts as ``storage``.
    """
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
        elif isinstance(node, ast.ImportFrom) and node.level >= 2:
            if node.module:
                names.add(node.module.split(".")[0])
            else:
                names.update(alias.name for alias in node.names)
    return names


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_package_imports_point_one_way(package: str) -> None:
    files = sorted((ROOT / package).rglob("*.py"))
    assert files, f"no modules found in {package}/"
    wrong = {
        str(path.relative_to(ROOT)): sorted(imported_modules(path) & FORBIDDEN[package])
        for path in files
    }
    assert {path: names for path, names in wrong.items() if names} == {}


def test_bot_package_exists_and_is_parsed() -> None:
    files = sorted((ROOT / "bot").rglob("*.py"))
    assert files
    for path in files:
        imported_modules(path)


def test_the_checker_sees_forbidden_imports(tmp_path: Path) -> None:
    module = tmp_path / "bad.py"
    module.write_text(
        "import sqlite3\nfrom telegram import Bot\nfrom . import sibling\n"
        "from .. import bot\nfrom ..sqlite_utils import Database\n"
        "def f():\n    import storage.store\n",
        encoding="utf-8",
    )
    assert imported_modules(module) == {"sqlite3", "telegram", "storage", "bot", "sqlite_utils"}


def submodule_imports(path: Path, packages: frozenset[str]) -> set[str]:
    """Every ``packages`` submodule that ``path`` imports by its dotted name."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        found.update(name for name in names if "." in name and name.split(".")[0] in packages)
    return found


def test_bot_uses_only_the_public_faces_of_the_engine_and_the_store() -> None:
    packages = frozenset({"segmentation", "storage"})
    wrong = {
        str(path.relative_to(ROOT)): sorted(submodule_imports(path, packages))
        for path in sorted((ROOT / "bot").rglob("*.py"))
    }
    assert {path: names for path, names in wrong.items() if names} == {}


def test_the_public_face_checker_sees_submodule_imports(tmp_path: Path) -> None:
    module = tmp_path / "bad.py"
    module.write_text(
        "from segmentation import load_customers\nfrom storage.store import CustomerStore\n"
        "import segmentation.model\ndef f():\n    from telegram.ext import Application\n",
        encoding="utf-8",
    )
    packages = frozenset({"segmentation", "storage"})
    assert submodule_imports(module, packages) == {"storage.store", "segmentation.model"}
