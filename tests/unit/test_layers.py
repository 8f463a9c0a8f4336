"""The layers (docs/architecture.md, "The layers"): flows -> tasks -> models, no arrow back up; models stay pure;
modules stay small; nothing points outside the repository."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MAX_LINES = 300
PURE_FORBIDDEN = ("prefect", "httpx", "jinja2", "tasks", "flows")


def modules(package: str) -> list[Path]:
    return sorted(p for p in (ROOT / package).rglob("*.py") if "migrations" not in p.parts)


def imported(path: Path) -> set[str]:
    """Every module an import statement in the file names, at any depth (lazy imports included)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


def offending(paths: list[Path], forbidden: tuple[str, ...], root: Path = ROOT) -> dict[str, list[str]]:
    """File -> the forbidden modules it imports."""
    found = {}
    for path in paths:
        bad = sorted(n for n in imported(path) if n.split(".")[0] in forbidden)
        if bad:
            found[path.relative_to(root).as_posix()] = bad
    return found


def test_models_import_no_prefect_httpx_jinja2_nor_the_layers_above():
    assert offending(modules("models"), PURE_FORBIDDEN) == {}


def test_tasks_never_import_flows():
    assert offending(modules("tasks"), ("flows",)) == {}


def test_the_check_sees_a_forbidden_import_even_inside_a_function(tmp_path):
    module = tmp_path / "rule.py"
    module.write_text("import datetime\n\ndef f():\n    from prefect import task\n    import httpx.client\n")
    assert offending([module], PURE_FORBIDDEN, tmp_path) == {"rule.py": ["httpx.client", "prefect"]}


@pytest.mark.parametrize("package", ["models", "tasks", "flows"])
def test_every_module_stays_under_300_lines(package):
    long = {p.relative_to(ROOT).as_posix(): n for p in modules(package)
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert long == {}


def test_nothing_points_outside_the_repository():
    texts = [ROOT / "README.md", *(ROOT / "docs").glob("*.md"), *(ROOT / "deploy").rglob("*.*")]
    texts += [p for package in ("models", "tasks", "flows", "templates", "tests") for p in (ROOT / package).rglob("*")
              if p.suffix in (".py", ".j2", ".md")]
    outside = sorted(p.relative_to(ROOT).as_posix() for p in texts
                     if p.is_file() and any(word in p.read_text(encoding="utf-8", errors="replace")
                                            for word in ("../" + "shared", "DESIGN" + ".md")))
    assert outside == []
