"""Persona names and descriptions come from where each centre stands in the population."""

from __future__ import annotations

import numpy as np
import pandas as pd

from segmentation.model import segment_customers
from segmentation.personas import format_value, friendly_label, level_of
from segmentation.result import SegmentOptions


def test_levels_and_labels() -> None:
    assert level_of(1.0) == "high" and level_of(-0.8) == "low" and level_of(0.2) == "average"
    assert friendly_label("MntWines", {}) == "spend on wines"
    assert friendly_label("CASH_ADVANCE", {}) == "cash advance"
    assert friendly_label("NumWebPurchases", {}) == "number of web purchases"
    assert friendly_label("income", {"income": "Annual Income (k$)"}) == "income"
    assert friendly_label("x1", {"x1": "Monthly visits (count)"}) == "monthly visits"
    assert format_value(86.4, "k$") == "86k$"
    assert format_value(3200.0) == "3,200"
    assert format_value(0.423) == "0.42"


def test_mall_personas_describe_income_score_and_age(frame_table, mall_frame) -> None:
    seg = segment_customers(
        frame_table(mall_frame, units={"income": "k$"}),
        SegmentOptions(features=("income", "score")),
    )
    rich = next(s for s in seg.segments if s.persona.name == "Affluent big spenders")
    assert "income ~87k$ (high)" in rich.persona.description.lower()
    assert "spending score ~82 (high)" in rich.persona.description
    assert "mostly aged" in rich.persona.description
    assert rich.persona.action
    assert len({s.persona.name for s in seg.segments}) == seg.k


def test_age_prefixes_names_when_clustered(frame_table, mall_frame) -> None:
    seg = segment_customers(frame_table(mall_frame))
    names = [s.persona.name for s in seg.segments]
    assert len(set(names)) == len(names)
    assert any(name.startswith("Young") for name in names)
    assert "Affluent big spenders" in names


def test_generic_columns_get_high_low_names(frame_table) -> None:
    rng = np.random.default_rng(1)
    centres = [(5000, 100), (200, 3000), (1000, 1000)]
    rows = np.vstack([rng.normal(c, (150, 60), size=(40, 2)) for c in centres])
    frame = pd.DataFrame(rows, columns=["BALANCE", "PURCHASES"])
    seg = segment_customers(frame_table(frame), SegmentOptions(k=3))
    names = {s.persona.name for s in seg.segments}
    assert "High balance, low purchases" in names
    assert "High purchases, low balance" in names
    assert len(names) == 3
    for segment in seg.segments:
        assert "balance ~" in segment.persona.description.lower()


def test_clashing_names_are_made_unique(frame_table) -> None:
    rng = np.random.default_rng(2)
    # Same income level in both groups; only "visits" separates them.
    rows = np.vstack([rng.normal((50, v), (10, 0.5), size=(30, 2)) for v in (2, 20)])
    frame = pd.DataFrame(rows, columns=["income", "visits"])
    seg = segment_customers(frame_table(frame), SegmentOptions(k=2))
    names = sorted(s.persona.name for s in seg.segments)
    assert names == ["Middle earners, high visits", "Middle earners, low visits"]
