"""The layers import only downwards, and no module or function outgrows a reading.

docs/architecture.md draws the layers; this test is what keeps the drawing true. Every import
counts, including those inside functions and under ``TYPE_CHECKING``: a lazy import is still a
dependency.
"""

from __future__ import annotations

import ast
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "chalicelib"
MAX_MODULE_LINES = 300
MAX_FUNCTION_LINES = 50
STORAGE_LIBRARIES = {"boto3", "botocore", "pynamodb"}


@dataclass(frozen=True)
class Rule:
    """What the modules of one layer may import from the project, and which libraries they may not."""

    may_import: frozenset[str]  # chalicelib.<part> prefixes, the layer's own included
    banned_libraries: frozenset[str]
    only_stdlib: frozenset[str] | None = None  # when set: the third-party libraries allowed, no others


RULES = {
    # The message catalogs: data and the code that reads it, for the pages and the emails alike.
    "i18n": Rule(frozenset({"chalicelib.i18n"}), frozenset(), only_stdlib=frozenset()),
    "domain": Rule(
        frozenset({"chalicelib.domain", "chalicelib.i18n"}),
        frozenset(),
        only_stdlib=frozenset({"icalendar", "babel"}),  # babel: dates, times, money per locale
    ),
    "services": Rule(
        frozenset(
            {"chalicelib.services", "chalicelib.domain", "chalicelib.config", "chalicelib.observability"}
        ),
        frozenset(STORAGE_LIBRARIES | {"chalice", "aws_lambda_powertools.utilities", "jwt", "requests"}),
    ),
    "api": Rule(
        frozenset(
            {
                "chalicelib.api",
                "chalicelib.services",
                "chalicelib.domain",
                "chalicelib.bootstrap",
                "chalicelib.config",
                "chalicelib.observability",
                "chalicelib.web",
                "chalicelib.i18n",
            }
        ),
        frozenset(STORAGE_LIBRARIES),
    ),
    "jobs": Rule(
        frozenset(
            {
                "chalicelib.jobs",
                "chalicelib.services",
                "chalicelib.domain",
                "chalicelib.bootstrap",
                "chalicelib.config",
                "chalicelib.observability",
            }
        ),
        frozenset(STORAGE_LIBRARIES),
    ),
    "adapters": Rule(
        frozenset(
            {
                "chalicelib.adapters",
                "chalicelib.services",
                "chalicelib.domain",
                "chalicelib.config",
                "chalicelib.observability",
            }
        ),
        frozenset(),
    ),
}


def modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def module_name(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")


def imports(path: Path) -> list[tuple[int, str]]:
    """Every module ``path`` imports, absolute, with the line it does so on."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = module_name(path).split(".")
                if path.name != "__init__.py":
                    package = package[:-1]
                base = ".".join([*package[: len(package) - node.level + 1], *([base] if base else [])])
            if base == "chalicelib":  # from chalicelib import bootstrap: the layer is the name
                found.extend((node.lineno, f"{base}.{alias.name}") for alias in node.names)
            else:
                found.append((node.lineno, base))
    return found


def layer_of(path: Path) -> str | None:
    parts = path.relative_to(PACKAGE).parts
    return parts[0] if len(parts) > 1 and parts[0] in RULES else None


def within(name: str, prefixes: frozenset[str]) -> bool:
    return any(name == prefix or name.startswith(prefix + ".") for prefix in prefixes)


def breaches(path: Path, layer: str | None) -> list[str]:
    if layer is None:
        return []
    rule = RULES[layer]
    where = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path.name
    found = []
    for line, name in imports(path):
        top = name.split(".")[0]
        if top == "chalicelib":
            if not within(name, rule.may_import):
                found.append(f"{where}:{line} imports {name}")
        elif within(name, rule.banned_libraries):
            found.append(f"{where}:{line} imports {name}")
        elif (
            rule.only_stdlib is not None
            and top not in sys.stdlib_module_names
            and top not in rule.only_stdlib
        ):
            found.append(f"{where}:{line} imports {name} (the domain is pure Python)")
    return found


def test_the_rules_see_every_layer() -> None:
    """A layer folder the rules do not know would escape them."""
    folders = {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert folders - {"web"} == set(RULES)


def test_imports_point_down_the_layers() -> None:
    found = [breach for path in modules() for breach in breaches(path, layer_of(path))]
    assert found == [], "\n".join(found)


def test_the_checker_catches_a_breach(tmp_path: Path) -> None:
    """The rules are not vacuous: reaching into the store or up a layer is reported."""
    probe = tmp_path / "probe.py"
    probe.write_text(
        "from chalicelib.adapters.dynamo import models\nimport pynamodb\n"
        "def lazy():\n    from chalicelib.api import http\n"
    )
    assert len(breaches(probe, "api")) == 2
    assert len(breaches(probe, "services")) == 3
    assert [b.split(" imports ")[1] for b in breaches(probe, "domain")] == [
        "chalicelib.adapters.dynamo",
        "pynamodb (the domain is pure Python)",
        "chalicelib.api",
    ]


def long_functions(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    return [
        f"{path.relative_to(ROOT)}:{node.lineno} {node.name} is {node.end_lineno - node.lineno + 1} lines"
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.end_lineno is not None
        and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES
    ]


def test_no_module_outgrows_a_reading() -> None:
    found = [
        f"{p.relative_to(ROOT)} is {n} lines"
        for p in modules()
        if (n := len(p.read_text().splitlines())) > MAX_MODULE_LINES
    ]
    assert found == [], "\n".join(found)


def test_no_function_outgrows_a_screen() -> None:
    found = [breach for path in modules() for breach in long_functions(path)]
    assert found == [], "\n".join(found)
