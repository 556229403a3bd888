"""A closed rate-limit window reaches the fetch log as rate_limited with retry_at, and the retry waits for it."""

import datetime as dt
import time

import pyarrow.parquet as pq
from client_harness import account, config
from contract_fixtures import case

from pipelines.ingest import ingest_platform_day, retryable_accounts
from pipelines.settings import get_settings, yesterday_wib


def test_rate_limited_accounts_are_retried_only_from_retry_at(serve, data_dir):
    reset = int(time.time()) + 14 * 60
    srv = serve(lambda req, n: case("x", "rate_limited", reset=reset).reply())
    accounts = [account("x", str(1000 + i)) for i in range(3)]
    day = yesterday_wib()  # a live fetch of the newest day (not a history fetch)
    summary = ingest_platform_day(
        "x", day, client_config=config(srv.url, bearer_token="bt"), accounts=accounts
    )
    assert summary.outcomes_by_status == {"rate_limited": 3} and summary.requests_made == 1
    log = pq.read_table(summary.paths["fetch_log"]).to_pylist()
    assert {r["retry_at"] for r in log} == {dt.datetime.fromtimestamp(reset, dt.UTC)}
    settings = get_settings()
    assert retryable_accounts(settings, "x", day) == set()  # the window is still closed
    later = dt.datetime.fromtimestamp(reset + 1, dt.UTC)
    assert retryable_accounts(settings, "x", day, now=later) == {a.account_id for a in accounts}
