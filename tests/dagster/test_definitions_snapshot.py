"""Every asset key, group, kind and check of the code location, compared with a reviewed snapshot.

A change to the asset graph shows up in review as a diff of tests/dagster/snapshots/asset_graph.txt.
Regenerate it with `UPDATE_SNAPSHOTS=1 pytest tests/dagster/test_definitions_snapshot.py`.
"""

import os
from pathlib import Path

import dagster as dg

SNAPSHOT = Path(__file__).parent / "snapshots" / "asset_graph.txt"


def describe_asset_graph() -> str:
    from pipelines.definitions import defs

    graph = defs.resolve_asset_graph()
    lines = []
    for key in sorted(graph.get_all_asset_keys(), key=lambda k: k.to_user_string()):
        node = graph.get(key)
        partitioned = "daily" if node.partitions_def else "-"
        kinds = ",".join(sorted(node.kinds))
        lines.append(
            f"asset {key.to_user_string()} group={node.group_name} partitions={partitioned} kinds={kinds}"
        )
    for check_key in sorted(graph.asset_check_keys, key=lambda k: (k.asset_key.to_user_string(), k.name)):
        spec = graph.get_check_spec(check_key)
        lines.append(
            f"check {check_key.asset_key.to_user_string()}:{check_key.name} blocking={spec.blocking}"
        )
    for job in sorted(j.name for j in defs.resolve_all_job_defs() if not j.name.startswith("__")):
        lines.append(f"job {job}")
    for schedule in sorted(s.name for s in defs.schedules or []):
        lines.append(f"schedule {schedule}")
    for sensor in sorted(s.name for s in defs.sensors or []):
        lines.append(f"sensor {sensor}")
    return "\n".join(lines) + "\n"


def test_asset_graph_matches_snapshot():
    current = describe_asset_graph()
    if os.environ.get("UPDATE_SNAPSHOTS"):
        SNAPSHOT.write_text(current)
    assert current == SNAPSHOT.read_text(), "asset graph changed: review and regenerate the snapshot"


def test_every_asset_has_a_group_and_description():
    from pipelines.definitions import defs

    graph = defs.resolve_asset_graph()
    for key in graph.get_all_asset_keys():
        node = graph.get(key)
        if node.is_external:
            continue
        assert node.group_name and node.group_name != "default", key
        assert node.description, f"{key.to_user_string()} has no description"


def test_lineage_runs_from_api_to_mart():
    from pipelines.definitions import defs

    graph = defs.resolve_asset_graph()
    upstream = graph.get(dg.AssetKey(["warehouse", "fct_account_daily"])).parent_keys
    ancestors, frontier = set(), set(upstream)
    while frontier:
        key = frontier.pop()
        ancestors.add(key)
        frontier |= set(graph.get(key).parent_keys) - ancestors
    for platform in ("instagram", "facebook", "youtube", "x", "tiktok"):
        assert ["raw", platform, "account_daily"] in [k.path for k in ancestors], platform
