"""How many runs a file's content has had, so a file left in the inbox by a crashed run is tried again.

Every intake run carries the tag `manual_report/sha256`. A file still in the inbox whose runs have all ended
was not answered (the run crashed, was cancelled, or the process died before moving the file): it gets a new
run with a new run key (Dagster skips a run key it has seen). After MAX_ATTEMPTS ended runs it is quarantined
as unreadable (`intake.give_up`), so even a file that kills the process gets an answer. (Counting the runs
needs the Dagster instance: that part lives in the sensor, pipelines/sensors/manual_reports.py; this library
module does not import dagster.)
"""

SHA_TAG = "manual_report/sha256"
MAX_ATTEMPTS = 3


def run_key(sha256: str, attempt: int) -> str:
    """The first attempt's key is the content hash itself; later attempts are numbered."""
    return sha256 if attempt <= 1 else f"{sha256}:attempt-{attempt}"
