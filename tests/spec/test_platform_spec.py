"""The platform specification is the one source: generated files match it, and what is derived agrees."""

import csv
import dataclasses
import io

import pytest

from data_quality import raw_partition_rules as rules
from pipelines import lake
from pipelines.clients import CLIENTS
from pipelines.platform_spec import CONFORMED_METRICS, PLATFORMS, SPECS, Kind, generate, validate
from pipelines.platform_spec.generate import CATALOGUE, MACRO, STAGING


def test_generated_files_equal_the_generators_output():
    stale = generate.stale()
    assert stale == [], f"regenerate with `python -m pipelines.platform_spec.generate`: {stale}"
    assert {CATALOGUE, MACRO, STAGING / "_platforms.yml"} <= set(generate.generated())


def test_check_mode_reports_a_stale_file(tmp_path, monkeypatch, capsys):
    copy = tmp_path / "catalogue.csv"
    copy.write_text("platform,metric\n", encoding="utf-8")
    monkeypatch.setattr(generate, "CATALOGUE", copy)
    assert generate.main(["--check"]) == 1
    assert "stale" in capsys.readouterr().out


def test_platforms_keep_their_order():
    assert PLATFORMS == ("instagram", "facebook", "youtube", "x", "tiktok")
    assert set(CLIENTS) == set(PLATFORMS)


@pytest.mark.parametrize("platform", PLATFORMS)
def test_lake_schema_and_gate_bounds_come_from_the_spec(platform):
    s = SPECS[platform]
    assert [f.name for f in lake.ACCOUNT_DAILY_FIELDS[platform]] == [f.name for f in s.fields]
    assert rules.UPPER_BOUNDS[platform] == {f.name: f.upper for f in s.fields if not f.is_flag}
    assert all(audience in {f.name for f in s.fields} for _, audience in rules.FLOW_VS_AUDIENCE[platform])


def test_catalogue_covers_every_platform_and_conformed_metric_once():
    rows = list(csv.DictReader(io.StringIO(CATALOGUE.read_text(encoding="utf-8"))))
    assert [(r["platform"], r["metric"]) for r in rows] == [
        (p, m) for p in PLATFORMS for m in CONFORMED_METRICS
    ]
    provided = {
        (r["platform"], r["metric"]): r["source_field"] for r in rows if r["availability"] == "provided"
    }
    assert provided[("facebook", "reach_count")] == "page_total_media_view_unique"
    assert provided[("instagram", "views_count")] == "views"


def test_retired_metrics_are_never_requested():
    for s in SPECS.values():
        for r in s.retired:
            assert r.name not in s.wire_names(r.request), (s.name, r.name)
    fb = SPECS["facebook"]
    retired = {r.name: r for r in fb.retired}
    assert str(retired["page_posts_impressions_unique"].deprecated) == "2026-06-15"
    assert retired["page_fans"].replaced_by == "page_follows"
    assert retired["page_impressions"].replaced_by == "page_media_view"
    assert {r.name for r in SPECS["instagram"].retired} == {"impressions"}


def test_history_follows_the_documented_limits():
    fb, ig = SPECS["facebook"], SPECS["instagram"]
    assert fb.request("insights").window_days == 90 and fb.history_requests(700) == {
        "insights",
        "published_posts",
    }
    assert fb.history_requests(800) == frozenset()  # "Only the last two years of insights data is available."
    assert ig.history_requests(3) == {"insights"}  # user fields exist only now
    assert SPECS["youtube"].history_requests(2) == SPECS["x"].history_requests(2) == frozenset()
    assert SPECS["tiktok"].history_requests(2) == {"video_list"}


def test_every_audience_field_feeds_followers():
    for s in SPECS.values():
        audience = [f for f in s.fields if f.kind is Kind.AUDIENCE]
        assert len(audience) == 1 and audience[0].feeds == "followers_count", s.name


def test_an_inconsistent_record_does_not_load():
    ig = SPECS["instagram"]
    no_bound = dataclasses.replace(ig.fields[0], upper=None)
    with pytest.raises(ValueError, match="upper bound"):
        validate(dataclasses.replace(ig, fields=(no_bound, *ig.fields[1:])))
    twice = dataclasses.replace(ig.fields[4], name="reach2")  # a second field feeding reach_count
    with pytest.raises(ValueError, match="reach_count"):
        validate(dataclasses.replace(ig, fields=(*ig.fields, twice)))
    with pytest.raises(ValueError, match="retired"):
        validate(dataclasses.replace(ig, retired=(dataclasses.replace(ig.retired[0], name="views"),)))
