"""dbt in the run's own process: the warehouse builds without starting a `dbt` interpreter.

dagster-dbt's `DbtCliResource.cli()` starts `dbt` as a subprocess, which imports dbt and reads the project again
for every build: ~4 CPU-seconds, 10–12 s wall on a busy 2-core machine, before the first model runs — half of a
manual report's latency budget. Runs here are forks of a process that already imported dbt
(pipelines/warm_launcher.py), so invoking dbt's own Python entry point (`dbtRunner`) in the run costs nothing.

The Dagster side is unchanged: the same selection of the run's assets and checks (dagster-dbt's subset
selection), the same dbt structured events turned into the same Dagster events (dagster-dbt's
`DbtCoreCliEventMessage`), and a run fails when `dbt build` fails. One difference, on purpose: dagster-dbt
copies the whole project to a temporary folder when a selection names more than 200 resources (a selectors
file); in-process, a long `--select` is no problem, so the project and its partial-parse state stay in place.
"""

import os
import queue
import shutil
import threading
import uuid
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator
from dagster_dbt.asset_utils import extract_runtime_selection_from_args, get_subset_selection_for_context
from dagster_dbt.core.dbt_cli_event import DbtCoreCliEventMessage

_DONE = object()
PARTIAL_PARSE_FILE = "partial_parse.msgpack"


class DbtBuildFailed(dg.Failure):
    pass


def selection_args(
    context: dg.AssetExecutionContext,
    manifest: dict[str, Any],
    translator: DagsterDbtTranslator,
    args: Sequence[str],
) -> tuple[list[str], str | None]:
    """The dbt arguments (with --select/--exclude for the run's subset) and the indirect-selection mode."""
    cleaned, selects, excludes = extract_runtime_selection_from_args(args)
    subset, indirect = get_subset_selection_for_context(
        context=context,
        manifest=manifest,
        select=" ".join(selects) or None,
        exclude=" ".join(excludes) or None,
        selector=None,
        dagster_dbt_translator=translator,
        current_dbt_indirect_selection_env=os.environ.get("DBT_INDIRECT_SELECTION"),
    )
    if excludes and "--exclude" not in subset:  # a subset's selection drops the caller's exclusions
        subset += ["--exclude", " ".join(excludes)]
    return [*cleaned, *subset], indirect


def seed_partial_parse(project_target: Path, target_path: Path) -> None:
    """Start a build's own target folder from the project's partial-parse state (as dagster-dbt does): without
    it dbt parses the whole project again (~10 s) instead of only what changed."""
    source = project_target / PARTIAL_PARSE_FILE
    target_path.mkdir(parents=True, exist_ok=True)
    if source.exists() and not (target_path / PARTIAL_PARSE_FILE).exists():
        shutil.copy(source, target_path / PARTIAL_PARSE_FILE)


def close_dbt_duckdb() -> None:
    """Close the database dbt-duckdb keeps open after a build (its process-wide environment).

    A subprocess let go of the file when it exited; in-process, the publish step and later builds in the same
    process must not find it open with dbt's configuration.
    """
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager

    with DuckDBConnectionManager._LOCK:
        environment, DuckDBConnectionManager._ENV = DuckDBConnectionManager._ENV, None
        if environment is not None:
            environment.close()


def dbt_events(
    context: dg.AssetExecutionContext,
    args: Sequence[str],
    *,
    project_dir: Path,
    profiles_dir: Path,
    env: Mapping[str, str] | None = None,
) -> Iterator[Any]:
    """Run `dbt <args>` in this process for the run's selection; yield the Dagster events as models finish.

    `env`: settings dbt reads with env_var(), set in this process's environment (a run's process is its own).
    They must render the profile exactly as when the manifest was prepared, or dbt re-parses everything.
    """
    from dagster_dbt.asset_utils import get_manifest_and_translator_from_dbt_assets
    from dbt.cli.main import dbtRunner
    from dbt_common.events.functions import msg_to_dict

    manifest, translator, _project = get_manifest_and_translator_from_dbt_assets([context.assets_def])
    dbt_args, indirect = selection_args(context, manifest, translator, args)
    target_path = project_dir / "target" / f"in-process-{context.run.run_id[:8]}-{uuid.uuid4().hex[:7]}"
    os.environ.update(env or {})
    seed_partial_parse(project_dir / "target", target_path)
    dbt_args += [
        "--project-dir",
        str(project_dir),
        "--profiles-dir",
        str(profiles_dir),
        "--target-path",
        str(target_path),
        "--log-path",
        str(target_path),
        "--no-send-anonymous-usage-stats",
    ]
    if indirect:
        dbt_args += ["--indirect-selection", indirect]
    shown = " ".join(dbt_args)
    context.log.info(f"dbt (in this process): {shown[:2000]}{' …' if len(shown) > 2000 else ''}")

    events: queue.Queue = queue.Queue()
    errors: list[str] = []
    outcome: dict[str, Any] = {}

    def on_event(msg) -> None:
        name = msg.info.name
        if name in {"LogSeedResult", "LogModelResult", "LogSnapshotResult", "LogTestResult"}:
            events.put(msg_to_dict(msg))
        elif msg.info.level == "error":
            errors.append(msg.info.msg)

    def invoke() -> None:
        try:
            outcome["result"] = dbtRunner(callbacks=[on_event]).invoke(dbt_args)
        except BaseException as exc:  # reported in the run, never lost in the thread
            outcome["exception"] = exc
        finally:
            close_dbt_duckdb()
            events.put(_DONE)

    # dbt runs in a thread so that its results reach Dagster while the build goes on.
    worker = threading.Thread(target=invoke, name="dbt-in-process", daemon=True)
    worker.start()
    while (raw := events.get()) is not _DONE:
        event = DbtCoreCliEventMessage(raw_event=raw, event_history_metadata={})
        yield from event.to_default_asset_events(
            manifest=manifest, dagster_dbt_translator=translator, context=context, target_path=target_path
        )
    worker.join()

    if "exception" in outcome:
        raise DbtBuildFailed(f"dbt {args[0]} raised {outcome['exception']!r}") from outcome["exception"]
    result = outcome["result"]
    if not result.success:
        detail = "\n".join(errors[-20:]) or str(result.exception or "")
        raise DbtBuildFailed(f"dbt {args[0]} failed:\n{detail}", metadata={"errors": detail})
