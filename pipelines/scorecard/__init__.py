"""The weekly leadership scorecard: static, self-contained HTML pages from the published warehouse.

`render_week(db_path, week_start, out_dir)` writes one ISO week's national and province pages (Bahasa
Indonesia and English) and refreshes the index of weeks. No Dagster here: the asset in `assets/scorecard.py`
calls it after each publish, and tests call it directly.
"""

from pipelines.scorecard.render import (
    RenderResult,
    last_complete_week_start,
    render_index,
    render_week,
    scorecard_dir,
)

__all__ = ["RenderResult", "last_complete_week_start", "render_index", "render_week", "scorecard_dir"]
