"""Import layers of the project: which part may import which (the rule the README's architecture section states).

    .venv/bin/python tests/dagster/import_layers.py      # prints package and layer edges, and upward imports

Every import counts, at module top or inside a function (a lazy import cannot dodge a layer). Layers, lowest
first; a module may import its own layer and the layers below it, never one above:

 library (plain Python, never imports dagster):
   foundation       pipelines.settings, pipelines.platform_spec
   storage          pipelines.lake, pipelines.registry, pipelines.credentials
   clients          pipelines.clients
   sandbox          pipelines.sandbox
   quality rules    data_quality (suites, summaries, notifier, alert logic)
   workflows        pipelines.ingest, pipelines.manual_reports, pipelines.warehouse, pipelines.scorecard,
                    pipelines.live_credentials (and any other module that does not import dagster)
 Dagster definitions:
   definition base  pipelines.asset_keys, pipelines.partitions, pipelines.resources, pipelines.lake_activity,
                    pipelines.dbt_in_process
   checks           data_quality.checks (refer to assets by key; an asset evaluates its in-op checks' specs)
   assets           assets
   jobs             pipelines.jobs
   triggers         pipelines.schedules, pipelines.sensors
   definitions      pipelines.definitions
 entry points: `make run` (pipelines.bootstrap), benchmarks and command-line tools
"""

import ast
import functools
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("pipelines", "assets", "data_quality")
DAGSTER_MODULES = ("dagster", "dagster_dbt")

# (layer, module prefixes); the longest matching prefix decides a module's layer.
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    ("foundation", ("pipelines.settings", "pipelines.platform_spec")),
    ("storage", ("pipelines.lake", "pipelines.registry", "pipelines.credentials")),
    ("clients", ("pipelines.clients",)),
    ("sandbox", ("pipelines.sandbox",)),
    ("quality rules", ("data_quality",)),
    ("workflows", ("pipelines.ingest", "pipelines.manual_reports", "pipelines.warehouse")),
    (
        "definition base",
        (
            "pipelines.asset_keys",
            "pipelines.partitions",
            "pipelines.resources",
            "pipelines.lake_activity",
            "pipelines.dbt_in_process",
        ),
    ),
    ("checks", ("data_quality.checks", "data_quality.asset_checks")),
    ("assets", ("assets",)),
    ("jobs", ("pipelines.jobs",)),
    ("triggers", ("pipelines.schedules", "pipelines.sensors")),
    ("definitions", ("pipelines.definitions",)),
    (
        "entry points",
        (
            "pipelines.bootstrap",
            "pipelines.run_progress",
            "pipelines.dagster_ui",
            "pipelines.warm_launcher",
            "pipelines.dbt_warmup",
            "pipelines.sqlite_storage",
            "pipelines.benchmark_backfill",
            "pipelines.benchmark_speeds",
            "pipelines.manual_reports.benchmark_latency",
            "pipelines.sandbox.__main__",
            "pipelines.clients.benchmark",
            "pipelines.clients.post_budget",
            "pipelines.platform_spec.generate",
            "data_quality.benchmark",
        ),
    ),
]
LIBRARY_LAYERS = ("foundation", "storage", "clients", "sandbox", "quality rules", "workflows")
RANK = {name: rank for rank, (name, _) in enumerate(LAYERS)}


@dataclass(frozen=True)
class Import:
    source: str  # importing module
    target: str  # imported module (project or dagster)
    line: int
    lazy: bool  # inside a function

    @property
    def where(self) -> str:
        return f"{self.source}:{self.line}"


def layer_of(module: str) -> str:
    """The module's layer. A module no layer names sits at the top of the library when it does not import
    dagster (it may import any library module; lower layers may not import it), else with the entry points."""
    if module == "pipelines":  # the package's empty __init__
        return "foundation"
    best, best_len = None, -1
    for name, prefixes in LAYERS:
        for prefix in prefixes:
            if (
                module == prefix or module.startswith(prefix + ".") or module.startswith(prefix + "_")
            ) and len(prefix) > best_len:
                best, best_len = name, len(prefix)
    if best is None:
        return "entry points" if module in _dagster_importers() else "workflows"
    return best


@functools.cache
def _dagster_importers() -> frozenset[str]:
    return frozenset(
        module
        for module, path in project_modules().items()
        if any(i.target.split(".")[0] in DAGSTER_MODULES for i in imports_of(module, path))
    )


def project_modules() -> dict[str, Path]:
    modules = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts = parts[:-1]
            modules[".".join(parts)] = path
    return modules


def _resolve(node: ast.ImportFrom, module: str, is_package: bool) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".") if is_package else module.split(".")[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def imports_of(module: str, path: Path) -> list[Import]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    is_package = path.name == "__init__.py"
    found: list[Import] = []

    def visit(node: ast.AST, lazy: bool) -> None:
        for child in ast.iter_child_nodes(node):
            inner = lazy or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
            if isinstance(child, ast.Import):
                found.extend(Import(module, a.name, child.lineno, lazy) for a in child.names)
            elif isinstance(child, ast.ImportFrom):
                target = _resolve(child, module, is_package)
                # `from pkg import mod` imports the submodule pkg.mod when there is one
                for alias in child.names:
                    found.append(Import(module, f"{target}.{alias.name}", child.lineno, lazy))
            visit(child, inner)

    visit(tree, False)
    return found


def project_imports() -> list[Import]:
    modules = project_modules()
    result = []
    for module, path in modules.items():
        for imp in imports_of(module, path):
            top = imp.target.split(".")[0]
            if top in DAGSTER_MODULES:
                result.append(Import(imp.source, top, imp.line, imp.lazy))
            elif top in PACKAGES:
                target = imp.target
                while target not in modules and "." in target:  # `from m import name`: the module is m
                    target = target.rsplit(".", 1)[0]
                if target in modules and target != module:
                    result.append(Import(imp.source, target, imp.line, imp.lazy))
    return result


# Where each kind of Dagster definition lives: the decorator/constructor names of the kind and its home module(s).
HOMES: list[tuple[str, tuple[str, ...], tuple[str, ...]]] = [
    ("pool name", (), ("pipelines.asset_keys",)),
    ("asset", ("asset", "multi_asset", "dbt_assets", "graph_asset", "graph_multi_asset"), ("assets",)),
    ("asset check", ("asset_check", "multi_asset_check"), ("data_quality.checks",)),
    ("job", ("define_asset_job", "job"), ("pipelines.jobs",)),
    (
        "schedule",
        ("schedule", "ScheduleDefinition", "build_schedule_from_partitioned_job"),
        ("pipelines.schedules",),
    ),
    (
        "sensor",
        (
            "sensor",
            "asset_sensor",
            "multi_asset_sensor",
            "run_status_sensor",
            "run_failure_sensor",
            "AutomationConditionSensorDefinition",
        ),
        ("pipelines.sensors",),
    ),
    ("resource", ("ConfigurableResource", "DbtCliResource"), ("pipelines.resources",)),
    ("partitions", ("DailyPartitionsDefinition", "StaticPartitionsDefinition"), ("pipelines.partitions",)),
    ("asset key", ("AssetKey",), ("pipelines.asset_keys",)),
    ("Definitions", ("Definitions",), ("pipelines.definitions",)),
]


def _called_name(node: ast.AST) -> str | None:
    if isinstance(node, ast.Call):
        node = node.func
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Name):
        return node.id
    return None


@dataclass(frozen=True)
class Declaration:
    kind: str
    module: str
    line: int

    @property
    def at_home(self) -> bool:
        homes = next(h for k, _, h in HOMES if k == self.kind)
        return any(self.module == h or self.module.startswith(h + ".") for h in homes)


def declarations() -> list[Declaration]:
    """Every Dagster definition (and asset key, pool name) declared in the project, with its module."""
    kind_of = {name: kind for kind, names, _ in HOMES for name in names}
    found = []
    for module, path in project_modules().items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names: list[tuple[str | None, int]] = []
            if isinstance(node, ast.FunctionDef):
                names = [(_called_name(d), d.lineno) for d in node.decorator_list]
            elif isinstance(node, ast.ClassDef):
                names = [(_called_name(b), node.lineno) for b in node.bases]
            elif isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id.endswith("_POOL") for t in node.targets
            ):
                found.append(Declaration("pool name", module, node.lineno))
            elif isinstance(node, ast.Call) and not isinstance(node.func, ast.Call):
                names = [(_called_name(node), node.lineno)]
                # a pool named by a literal string instead of the shared constant
                for kw in node.keywords:
                    if kw.arg == "pool" and isinstance(kw.value, ast.Constant):
                        found.append(Declaration("pool name", module, node.lineno))
            found.extend(Declaration(kind_of[n], module, line) for n, line in names if n in kind_of)
    # a decorator call is also an ast.Call: count it once
    return sorted(set(found), key=lambda d: (d.module, d.line, d.kind))


def misplaced_declarations() -> list[Declaration]:
    return [d for d in declarations() if not d.at_home]


def upward_imports(imports: list[Import]) -> list[tuple[Import, str]]:
    """(import, why) for every import that breaks the layering."""
    bad = []
    for imp in imports:
        source = layer_of(imp.source)
        if imp.target in DAGSTER_MODULES:
            if source in LIBRARY_LAYERS:
                bad.append((imp, f"library layer '{source}' imports {imp.target}"))
            continue
        target = layer_of(imp.target)
        if RANK[target] > RANK[source]:
            bad.append((imp, f"'{source}' imports the higher layer '{target}'"))
    return bad


def edges(imports: list[Import], key) -> Counter:
    counted = Counter()
    for imp in imports:
        if imp.target in DAGSTER_MODULES:
            continue
        a, b = key(imp.source), key(imp.target)
        if a != b:
            counted[(a, b)] += 1
    return counted


def main() -> int:
    imports = project_imports()
    packages = edges(imports, lambda m: m.split(".")[0])
    layers = edges(imports, layer_of)
    print("package -> package (imports)")
    for (a, b), n in sorted(packages.items()):
        print(f"  {a:14} -> {b:14} {n:4}")
    print("layer -> layer (imports; ! = upward)")
    for (a, b), n in sorted(layers.items(), key=lambda item: (RANK[item[0][0]], RANK[item[0][1]])):
        print(f"  {'!' if RANK[b] > RANK[a] else ' '} {a:16} -> {b:16} {n:4}")
    bad = upward_imports(imports)
    lazy = [i for i in imports if i.lazy and i.target not in DAGSTER_MODULES]
    print(f"upward imports: {len(bad)}")
    for imp, why in bad:
        print(f"  {imp.where}: {imp.target} ({why}{', lazy' if imp.lazy else ''})")
    print(f"lazy project imports (inside functions): {len(lazy)}")
    for imp in lazy:
        print(f"  {imp.where}: {imp.target}")
    misplaced = misplaced_declarations()
    print(f"definitions outside their home: {len(misplaced)}")
    for d in misplaced:
        print(f"  {d.module}:{d.line}: {d.kind}")
    return 1 if bad or misplaced else 0


if __name__ == "__main__":
    sys.exit(main())
