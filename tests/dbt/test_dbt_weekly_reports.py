"""Weekly manual reports in the real dbt build: distinguishable from daily rows from the lake to the reports.

facebook:fb2 (Aceh, ID-11) reports weekly: one row on each week's Sunday (Jan 11, Jan 18) with
reporting_period_days 7; instagram:ig2 (same unit) reports daily, and its Jan 5-7 files predate the field.
Reads the session's shared fixture build (see test_dbt_marts).
"""

import datetime as dt

import pyarrow.parquet as pq
import pytest
from dbt_harness import build_fixture_warehouse, query, shared_build

from pipelines import lake

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def built(tmp_path_factory, worker_id):
    return shared_build(tmp_path_factory, worker_id, "dbt_marts", build_fixture_warehouse) / "data"


def d(day: str) -> dt.date:
    return dt.date.fromisoformat(day)


def test_weekly_report_reaches_the_fact_with_its_period(built):
    rows = query(
        built,
        """select metric_date, reporting_period_days, collection_method, followers_count, new_posts_count,
                  engagements_count, days_since_previous_observation, follower_growth_count, engagement_rate
           from marts.fct_account_daily where account_id = 'facebook:fb2' order by metric_date""",
    )
    assert rows == [
        # The week's 441 engagements over 2,100 followers for 7 days: 3 % a day, not 21 %.
        (d("2026-01-11"), 7, "manual", 2100, 4, 441, None, None, pytest.approx(0.03)),
        (d("2026-01-18"), 7, "manual", 2170, 0, 147, 7, 70, pytest.approx(147 / (2170 * 7))),
    ]
    # Every other row is a daily row; weekly rows only ever land on a Sunday.
    assert query(
        built,
        """select reporting_period_days, isodow(metric_date) = 7, count(*) from marts.fct_account_daily
           group by all order by all""",
    ) == [(1, False, 52), (1, True, 9), (7, True, 2)]


def test_manual_files_written_before_the_field_read_as_daily_rows(built):
    legacy = lake.manual_partition_path(built / "lake", d("2026-01-05"), "ID-11")
    assert "reporting_period_days" not in pq.read_schema(legacy).names  # the fixture really is mixed
    rows = query(
        built,
        """select metric_date, reporting_period_days from staging.stg_manual__account_days
           where account_id = 'instagram:ig2' order by metric_date""",
    )
    assert rows == [(d(f"2026-01-{n:02d}"), 1) for n in range(5, 12)]


def test_unit_daily_keeps_the_week_on_sunday_and_a_daily_rate(built):
    rows = query(
        built,
        """select metric_date, accounts_expected_count, accounts_reporting_count,
                  accounts_reporting_manual_count, weekly_report_accounts_count, engagements_count,
                  rated_followers_count, engagement_rate
           from marts.fct_unit_daily where unit_code = 'ID-11'
             and metric_date between '2026-01-10' and '2026-01-12' order by metric_date""",
    )
    assert rows == [
        (d("2026-01-10"), 3, 1, 1, 0, 12, 306, pytest.approx(12 / 306)),  # ig2 only
        # ig2's 12 plus fb2's whole week; fb2's followers count for its 7 days: not 453 / 2,407.
        (d("2026-01-11"), 3, 2, 2, 1, 453, 307 + 2100 * 7, pytest.approx(453 / 15007)),
        (d("2026-01-12"), 3, 0, 0, 0, None, None, None),
    ]


def test_platform_daily_counts_weekly_report_accounts(built):
    rows = query(
        built,
        """select scope_unit_code, accounts_reporting_manual_count, weekly_report_accounts_count,
                  engagements_count, engagement_rate
           from marts.fct_platform_daily where platform = 'facebook' and metric_date = '2026-01-11'
           order by scope_unit_code""",
    )
    # fb1's manual row that Sunday is a daily row without engagements; fb2's is the weekly report.
    assert rows == [
        ("ID", 2, 1, 441, pytest.approx(0.03)),
        ("ID-11", 1, 1, 441, pytest.approx(0.03)),
        ("ID-35", 1, 0, None, None),
    ]


def test_unit_weekly_posting_target_with_weekly_reports(built):
    rows = query(
        built,
        """select iso_week, weekly_report_accounts_count, account_days_reported_count, new_posts_count,
                  posting_days_count, has_undated_posts, posting_days_per_week_target, is_posting_target_met,
                  posting_days_shortfall_count, engagement_rate
           from reports.rpt_unit_weekly where unit_code = 'ID-11' and platform = 'facebook'
           order by iso_week""",
    )
    assert rows == [
        # 4 posts on days nobody reported: the province target (5 days) can be neither met nor failed.
        (2, 1, 1, 4, 0, True, 5, None, None, pytest.approx(0.03)),
        # A week of no posts is known to have no posting day.
        (3, 1, 1, 0, 0, False, 5, False, 5, pytest.approx(147 / 15190)),
    ]


def test_platform_weekly_rate_counts_follower_days(built):
    rows = query(
        built,
        """select iso_week, weekly_report_accounts_count, engagements_count, rated_followers_count,
                  engagement_rate, posting_account_days_count, new_posts_count
           from reports.rpt_platform_weekly where platform = 'facebook' and scope_type = 'national'
           order by iso_week""",
    )
    fb1_week_1 = sum(5000 + 5 * i for i in range(1, 7))  # API days Jan 5-10 (Jan 11 is a manual row)
    fb1_week_2 = sum(5000 + 5 * i for i in range(8, 15))
    assert rows == [
        (2, 1, 600 + 441, fb1_week_1 + 2100 * 7, pytest.approx(1041 / (fb1_week_1 + 14700)), 5, 5 + 4),
        (3, 1, 700 + 147, fb1_week_2 + 2170 * 7, pytest.approx(847 / (fb1_week_2 + 15190)), 5, 5 + 0),
    ]
