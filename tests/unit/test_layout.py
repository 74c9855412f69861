"""The arrows go one way: `core` imports none of the doors."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOORS = {"bot", "webhooks", "scheduler", "dashboards", "teamflow"}


def _imported_top_level_packages(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_core_imports_no_door():
    offenders = {
        str(path.relative_to(ROOT)): sorted(_imported_top_level_packages(path) & DOORS)
        for path in (ROOT / "core").rglob("*.py")
        if _imported_top_level_packages(path) & DOORS
    }
    assert offenders == {}


def test_nothing_imports_webhooks_or_scheduler_except_the_composition_root():
    offenders = []
    for package in ("core", "bot", "dashboards", "webhooks", "scheduler"):
        for path in (ROOT / package).rglob("*.py"):
            if _imported_top_level_packages(path) & ({"webhooks", "scheduler"} - {package}):
                offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_doors_do_not_import_models():
    offenders = []
    for package in ("bot", "webhooks", "scheduler", "dashboards", "teamflow"):
        for path in (ROOT / package).rglob("*.py"):
            source = path.read_text()
            if "core.models" in source:
                offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []
