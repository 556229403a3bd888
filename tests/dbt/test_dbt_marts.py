"""The real dbt build on a small fixture lake: exact figures in the marts and reports.

One build per session (about 25 s); every test only reads the build database.
"""

import datetime as dt

import pytest
from dbt_fixture_lake import write_registry
from dbt_harness import build_fixture_warehouse, query, query_one, shared_build

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def built(tmp_path_factory, worker_id):
    # One build per session even if xdist spreads this module's tests over workers (or test_dbt_weekly_reports).
    return shared_build(tmp_path_factory, worker_id, "dbt_marts", build_fixture_warehouse) / "data"


def d(day: str) -> dt.date:
    return dt.date.fromisoformat(day)


def test_follower_growth_across_a_gap(built):
    # ig1 was not fetched on Jan 7 and 8: Jan 9 compares with Jan 6.
    row = query_one(
        built,
        """select previous_metric_date, days_since_previous_observation, previous_followers_count,
                  follower_growth_count, follower_growth_rate, new_posts_count, engagement_rate
           from marts.fct_account_daily where account_id = 'instagram:ig1' and metric_date = '2026-01-09'""",
    )
    assert row[:5] == (d("2026-01-06"), 3, 1010, 30, pytest.approx(30 / 1010))
    assert row[5] == 2  # media_count 100 -> 102 over the gap, attributed to the observed day
    assert row[6] == pytest.approx(30 / 1040)  # (20 likes + 5 comments + 3 shares + 2 saves) / followers


def test_api_row_wins_and_manual_fills_the_gap(built):
    rows = query(
        built,
        """select metric_date, collection_method, followers_count, follower_growth_count,
                  has_api_data, has_manual_report
           from marts.fct_account_daily
           where account_id = 'facebook:fb1' and metric_date in ('2026-01-11', '2026-01-12')
           order by metric_date""",
    )
    assert rows == [
        (d("2026-01-11"), "manual", 5036, 6, False, True),  # no API row: the manual report fills the day
        (d("2026-01-12"), "api", 5040, 4, True, True),  # the manual 9999 loses to the API row
    ]
    fct = query(built, "select count(*) from marts.fct_account_daily where account_id = 'facebook:fb1'")
    assert fct == [(14,)]


def test_youtube_daily_views_from_lifetime_deltas(built):
    rows = query(
        built,
        """select metric_date, views_count, new_posts_count from marts.fct_account_daily
           where account_id = 'youtube:yt1' order by metric_date""",
    )
    views = {r[0].day: r[1] for r in rows}
    assert views[5] is None  # first observation
    assert all(views[day] == 200 for day in (6, 7, 8, 9, 10, 11, 12, 13, 15, 16, 17, 18))
    assert views[14] is None  # the lifetime counter went down (50,000 + 1,800 -> 49,000)
    assert {r[0].day: r[2] for r in rows}[12] == 1  # video_count 40 -> 41


def test_unit_daily_recomputes_engagement_rate_from_sums(built):
    rows = query(
        built,
        """select metric_date, accounts_expected_count, accounts_reporting_count,
                  accounts_reporting_manual_count, followers_count, engagements_count, engagement_rate
           from marts.fct_unit_daily where unit_code = 'ID-35.78'
             and metric_date in ('2026-01-07', '2026-01-09', '2026-01-11') order by metric_date""",
    )
    assert rows == [
        (d("2026-01-07"), 2, 1, 0, 5015, 100, pytest.approx(100 / 5015)),  # ig1 missing
        (d("2026-01-09"), 2, 2, 0, 6065, 130, pytest.approx(130 / 6065)),  # not (30/1040 + 100/5025) / 2
        # fb1's manual row has no engagements: its followers stay out of the rate's denominator.
        (d("2026-01-11"), 2, 2, 1, 6096, 30, pytest.approx(30 / 1060)),
    ]


def test_platform_daily_national_and_province_scopes(built):
    rows = query(
        built,
        """select scope_type, scope_unit_code, accounts_expected_count, accounts_reporting_count,
                  followers_count, engagements_count, engagement_rate
           from marts.fct_platform_daily where platform = 'instagram' and metric_date = '2026-01-09'
           order by scope_type, scope_unit_code""",
    )
    assert rows == [
        ("national", "ID", 2, 2, 1345, 42, pytest.approx(42 / 1345)),
        ("province", "ID-11", 1, 1, 305, 12, pytest.approx(12 / 305)),
        ("province", "ID-35", 1, 1, 1040, 30, pytest.approx(30 / 1040)),
    ]
    # The national unit's X account is in the national scope only; the province unit's YouTube in both.
    scopes = query(
        built,
        """select platform, scope_unit_code, count(*) from marts.fct_platform_daily
           where platform in ('x', 'youtube') group by all order by all""",
    )
    assert scopes == [("x", "ID", 14), ("youtube", "ID", 14), ("youtube", "ID-35", 14)]


def test_missing_platform_folder_builds_and_counts_as_expected(built):
    assert query(built, "select count(*) from staging.stg_tiktok__account_days") == [(0,)]
    rows = query(
        built,
        """select min(accounts_expected_count), max(accounts_reporting_count), count(*)
           from marts.fct_platform_daily where platform = 'tiktok' and scope_unit_code = 'ID'""",
    )
    assert rows == [(1, 0, 14)]


def test_unit_weekly_growth_engagement_and_posting_target(built):
    rows = query(
        built,
        """select iso_week, account_days_expected_count, account_days_reported_count, follower_growth_count,
                  growth_base_followers_count, follower_growth_rate, posting_days_count,
                  posting_days_per_week_target, is_posting_target_met, posting_days_shortfall_count
           from reports.rpt_unit_weekly where unit_code = 'ID-35.78' and platform = 'instagram'
           order by iso_week""",
    )
    assert rows == [
        # Jan 5-11: 1000 -> 1060; posts on Jan 9 (two, over the gap) and Jan 11: 2 days of the 3 targeted.
        (2, 7, 5, 60, 1000, pytest.approx(0.06), 2, 3, False, 1),
        # Jan 12-18: 1060 -> 1130; posts on Jan 13, 15 and 17.
        (3, 7, 7, 70, 1060, pytest.approx(70 / 1060), 3, 3, True, 0),
    ]
    silent = query(
        built,
        """select account_days_expected_count, account_days_reported_count from reports.rpt_unit_weekly
           where unit_code = 'ID-11' and platform = 'instagram' and iso_week = 3""",
    )
    assert silent == [(7, 0)]  # Aceh's manual reports stopped: the unit shows up as not reporting


def test_platform_weekly_national_instagram(built):
    rows = query(
        built,
        """select iso_week, accounts_expected_count, accounts_reporting_count, follower_growth_count,
                  follower_growth_rate, engagements_count, engagement_rate, new_posts_count, is_complete_week
           from reports.rpt_platform_weekly where platform = 'instagram' and scope_type = 'national'
           order by iso_week""",
    )
    assert rows == [
        # ig1 +60 on 1000, ig2 +6 on 301; engagements ig1 5 x 30 + ig2 7 x 12 over their daily followers.
        (2, 2, 2, 66, pytest.approx(66 / 1301), 234, pytest.approx(234 / (5160 + 2128)), 3 + 7, True),
        (3, 2, 1, 70, pytest.approx(70 / 1060), 210, pytest.approx(210 / 7700), 3, True),
    ]


def test_dims(built):
    assert query(built, "select min(date_day), max(date_day), count(*) from marts.dim_dates") == [
        (d("2026-01-05"), d("2026-01-18"), 14)
    ]
    assert query_one(
        built,
        """select iso_year, iso_week, week_start_date, day_of_week, is_weekend, month_start_date
           from marts.dim_dates where date_day = '2026-01-11'""",
    ) == (2026, 2, d("2026-01-05"), 7, True, d("2026-01-01"))
    assert query(built, "select unit_code, province_unit_code from marts.dim_units order by unit_code") == [
        ("ID", None),
        ("ID-11", "ID-11"),
        ("ID-35", "ID-35"),
        ("ID-35.78", "ID-35"),
    ]
    assert query(
        built, "select count(*), count(*) filter (where has_engagements) from marts.dim_platforms"
    ) == [(5, 3)]


def test_user_registry_read_in_place_and_left_untouched(built, tmp_path):
    # MEDSOS_REGISTRY_DIR is read where it is; dbt must never write into it (it once wrote seed SQL over it).
    registry_dir = built.parent / "registry"
    fresh = write_registry(tmp_path / "fresh")
    for name in ("registry_units.csv", "registry_accounts.csv"):
        assert (registry_dir / name).read_text() == (fresh / name).read_text()
    assert query(built, "select count(*) from staging.stg_registry__accounts") == [(7,)]


def test_fetch_logs_union_all_platforms(built):
    rows = query(
        built,
        "select platform, status, count(*) from staging.stg_lake__fetch_logs group by all order by all",
    )
    assert rows == [
        ("facebook", "auth_failed", 1),
        ("facebook", "ok", 13),
        ("instagram", "failed", 2),
        ("instagram", "ok", 12),
        ("x", "ok", 14),
        ("youtube", "ok", 14),
    ]
