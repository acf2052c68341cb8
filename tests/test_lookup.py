"""Customer lookups work from percentiles alone, also on a rebuilt segmentation."""

from __future__ import annotations

import json

import pytest

from segmentation.lookup import lookup_customer, percentile_of
from segmentation.model import segment_customers
from segmentation.result import Segmentation, SegmentOptions


def test_percentile_of_interpolates_and_handles_runs() -> None:
    q = [float(i) for i in range(101)]
    assert percentile_of(25.5, q) == pytest.approx(25.5)
    assert percentile_of(-1, q) == 0 and percentile_of(1000, q) == 100
    zeros = [0.0] * 51 + [float(i) for i in range(1, 51)]
    assert percentile_of(0.0, zeros) == pytest.approx(25.0)


def test_lookup_on_a_fresh_and_on_a_rebuilt_segmentation(frame_table, mall_frame) -> None:
    table = frame_table(mall_frame)
    seg = segment_customers(table, SegmentOptions(features=("income", "score")))
    row = seg.assignments.loc["42"]
    values = {str(k): v for k, v in table.customers.loc["42"].items()}
    found = lookup_customer(
        seg, "42", values, int(row["segment"]), float(row["distance"]), int(row["runner_up"])
    )
    assert found.customer_id == "42"
    assert found.segment == row["segment"] and found.runner_up == row["runner_up"]
    assert 0 <= found.typicality <= 100
    assert found.values["score"] == 92.0
    assert found.percentiles["score"] > 90
    assert found.attributes == {"gender": "Male"}
    rebuilt = Segmentation.from_parts(
        json.loads(json.dumps(seg.summary_dict())),
        json.loads(json.dumps([s.to_dict() for s in seg.segments])),
        seg.assignments.iloc[0:0],
    )
    again = lookup_customer(
        rebuilt,
        "42",
        {"gender": "Male", "age": 24.0, "income": 38.0, "score": 92.0},
        int(row["segment"]),
        float(row["distance"]),
        int(row["runner_up"]),
    )
    assert again == found


def test_typicality_of_the_centre_and_the_edge(frame_table, mall_frame) -> None:
    seg = segment_customers(frame_table(mall_frame), SegmentOptions(features=("income", "score")))
    segment = seg.segment(1)
    centre = lookup_customer(seg, "x", {}, 1, 0.0, 2)
    edge = lookup_customer(seg, "y", {}, 1, segment.distance_quantiles[-1] * 2, 2)
    assert centre.typicality == 0 and edge.typicality == 100
