"""How many runs a file's content has had, so a file left in the inbox by a crashed run is tried again.

Every intake run carries the tag `manual_report/sha256`. A file still in the inbox whose runs have all ended
was not answered (the run crashed, was cancelled, or the process died before moving the file): it gets a new
run with a new run key (Dagster skips a run key it has seen). After MAX_ATTEMPTS ended runs it is quarantined
as unreadable (`intake.give_up`), so even a file that kills the process gets an answer.
"""

import dagster as dg

SHA_TAG = "manual_report/sha256"
MAX_ATTEMPTS = 3


def run_key(sha256: str, attempt: int) -> str:
    """The first attempt's key is the content hash itself; later attempts are numbered."""
    return sha256 if attempt <= 1 else f"{sha256}:attempt-{attempt}"


def past_runs(instance: dg.DagsterInstance, sha256: str) -> tuple[int, bool]:
    """(runs that ended, whether one is still queued or running) for this content."""
    records = instance.get_run_records(filters=dg.RunsFilter(tags={SHA_TAG: sha256}), limit=50)
    ended = sum(1 for r in records if r.dagster_run.is_finished)
    return ended, ended < len(records)
