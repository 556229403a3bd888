"""Campaign days: when government accounts post and engage more, together.

National days lift every account; a province's campaign days (its anniversary and a few local campaigns a
year) lift the province account and all its regencies at once. That is real behaviour, not an anomaly; the
sandbox publishes the calendar (`campaign_days.csv`) so a benchmark can tell the two apart.
"""

import datetime as dt
from dataclasses import dataclass

import numpy as np

# (month, day, name, post factor, engagement factor); the days either side of 17 August rise too.
NATIONAL_DAYS = [
    (1, 1, "Tahun Baru", 1.8, 1.5),
    (4, 21, "Hari Kartini", 1.8, 1.6),
    (5, 2, "Hari Pendidikan Nasional", 1.8, 1.5),
    (5, 20, "Hari Kebangkitan Nasional", 1.6, 1.4),
    (6, 1, "Hari Lahir Pancasila", 2.2, 1.9),
    (8, 16, "Menjelang HUT RI", 1.5, 1.4),
    (8, 17, "HUT Kemerdekaan RI", 3.0, 2.6),
    (8, 18, "Sesudah HUT RI", 1.4, 1.3),
    (10, 1, "Hari Kesaktian Pancasila", 1.8, 1.5),
    (10, 28, "Hari Sumpah Pemuda", 2.0, 1.7),
    (11, 10, "Hari Pahlawan", 2.0, 1.7),
    (12, 22, "Hari Ibu", 1.7, 1.5),
]
# Islamic holidays move with the lunar calendar (government-announced dates).
MOVABLE_DAYS = [
    ("2025-03-31", "Idul Fitri", 2.5, 2.2),
    ("2025-04-01", "Idul Fitri", 2.0, 1.8),
    ("2025-06-06", "Idul Adha", 1.8, 1.6),
    ("2026-03-20", "Idul Fitri", 2.5, 2.2),
    ("2026-03-21", "Idul Fitri", 2.0, 1.8),
    ("2026-05-27", "Idul Adha", 1.8, 1.6),
    ("2027-03-10", "Idul Fitri", 2.5, 2.2),
    ("2027-05-17", "Idul Adha", 1.8, 1.6),
]
PROVINCE_CAMPAIGNS_PER_YEAR = 5


@dataclass
class Calendar:
    national_post: np.ndarray  # (n_days,)
    national_eng: np.ndarray
    province_post: np.ndarray  # (n_provinces + 1, n_days); the last row (no province) is all ones
    province_eng: np.ndarray
    rows: list[dict]  # one per campaign day, for campaign_days.csv

    def is_campaign(self, province_row: int, day_index: int) -> bool:
        return bool(self.national_post[day_index] > 1.0 or self.province_post[province_row, day_index] > 1.0)


def build_calendar(epoch: dt.date, n_days: int, province_codes: list[str], seed: int) -> Calendar:
    """Factors per day from `epoch` for `n_days` days; province rows follow `province_codes` order."""
    nat_post, nat_eng = np.ones(n_days), np.ones(n_days)
    prov_post = np.ones((len(province_codes) + 1, n_days))
    prov_eng = np.ones_like(prov_post)
    rows: list[dict] = []
    last = epoch + dt.timedelta(days=n_days - 1)

    def put_national(day: dt.date, name: str, fp: float, fe: float) -> None:
        i = (day - epoch).days
        if 0 <= i < n_days:
            nat_post[i], nat_eng[i] = fp, fe
            rows.append(_row(day, "national", "", name, fp, fe))

    for year in range(epoch.year, last.year + 1):
        for month, day, name, fp, fe in NATIONAL_DAYS:
            put_national(dt.date(year, month, day), name, fp, fe)
    for iso, name, fp, fe in MOVABLE_DAYS:
        put_national(dt.date.fromisoformat(iso), name, fp, fe)

    for row, code in enumerate(province_codes):
        # The anniversary is a fixed day of the year per province; other campaigns are drawn per year.
        anniversary_doy = int(np.random.default_rng([seed, 301, int(code)]).integers(1, 365))
        for year in range(epoch.year, last.year + 1):
            rng = np.random.default_rng([seed, 303, year, int(code)])
            n_year = 366 if year % 4 == 0 else 365
            doys = {anniversary_doy, *rng.choice(n_year, PROVINCE_CAMPAIGNS_PER_YEAR, replace=False).tolist()}
            for doy in sorted(doys):
                day = dt.date(year, 1, 1) + dt.timedelta(days=int(doy))
                i = (day - epoch).days
                if not 0 <= i < n_days or nat_post[i] > 1.0:
                    continue  # national days already lift everyone
                fp, fe = round(float(rng.uniform(1.8, 2.8)), 2), round(float(rng.uniform(1.6, 2.4)), 2)
                prov_post[row, i], prov_eng[row, i] = fp, fe
                name = "HUT Provinsi" if doy == anniversary_doy else "Kampanye provinsi"
                rows.append(_row(day, "province", code, name, fp, fe))
    rows.sort(key=lambda r: (r["campaign_date"], r["scope"], r["region_code"]))
    return Calendar(nat_post, nat_eng, prov_post, prov_eng, rows)


def _row(day: dt.date, scope: str, region: str, name: str, fp: float, fe: float) -> dict:
    return {
        "campaign_date": day.isoformat(),
        "scope": scope,
        "region_code": region,
        "name": name,
        "post_factor": fp,
        "engagement_factor": fe,
    }
