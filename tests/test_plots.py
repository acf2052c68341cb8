"""Charts are PNGs a phone can show: size, dimensions, and no pyplot."""

from __future__ import annotations

import ast
import struct
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from segmentation.charts import render_k_chart_png, render_profile_png, render_scatter_png
from segmentation.charts.style import legend_name
from segmentation.model import segment_customers
from segmentation.result import SegmentOptions
from segmentation.sample import sample_frame


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def check_png(data: bytes) -> None:
    """Within the phone limits."""
    width, height = png_size(data)
    assert width <= 1600 and width + height <= 10000
    assert len(data) <= 500 * 1024


def test_mall_charts_fit_the_limits(frame_table, mall_frame) -> None:
    table = frame_table(mall_frame)
    for options in (SegmentOptions(features=("income", "score")), SegmentOptions(k=4)):
        seg = segment_customers(table, options)
        for png in (
            render_scatter_png(table, seg),
            render_k_chart_png(seg),
            render_profile_png(seg),
        ):
            check_png(png)


def test_many_features_use_a_projection_and_many_segments_fit(frame_table) -> None:
    rng = np.random.default_rng(8)
    columns = [f"F{i}" for i in range(14)]
    frame = pd.DataFrame(rng.normal(size=(400, 14)) * 10 + 100, columns=columns)
    frame["gender"] = ["Female", "Male"] * 200
    table = frame_table(frame)
    seg = segment_customers(table, SegmentOptions(k=12, features=("gender", *columns)))
    for png in (render_scatter_png(table, seg), render_profile_png(seg), render_k_chart_png(seg)):
        check_png(png)


@pytest.mark.parametrize("features", [("income",), ("age", "income", "score")])
def test_one_and_three_features(frame_table, mall_frame, features) -> None:
    table = frame_table(mall_frame)
    seg = segment_customers(table, SegmentOptions(features=features))
    check_png(render_scatter_png(table, seg))
    check_png(render_profile_png(seg))


def test_big_table_scatter_draws_a_sample(frame_table) -> None:
    frame = sample_frame(60_000, seed=2).set_index("CustomerID")
    frame = frame.rename(
        columns={"Annual Income (k$)": "income", "Spending Score (1-100)": "score"}
    )[["income", "score"]].astype(float)
    table = frame_table(frame)
    seg = segment_customers(table)
    check_png(render_scatter_png(table, seg))


def test_plots_never_import_pyplot() -> None:
    package = Path(__file__).resolve().parents[1] / "segmentation"
    for path in package.glob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [f"{node.module}.{a.name}" for a in node.names]
            assert not any("pyplot" in n for n in names), path.name


def test_segment_numbers_with_gaps_render(frame_table, mall_frame) -> None:
    """A run aligned with an earlier one may be numbered 1, 2, 7 …: everything still draws."""
    from dataclasses import replace

    from segmentation.export import assignments_csv
    from segmentation.targeting import rank_targets

    table = frame_table(mall_frame)
    seg = segment_customers(table, SegmentOptions(k=3, features=("income", "score")))
    renumber = {1: 1, 2: 2, 3: 7}
    gappy = replace(
        seg,
        segments=tuple(replace(s, number=renumber[s.number]) for s in seg.segments),
        assignments=seg.assignments.assign(
            segment=seg.assignments["segment"].map(renumber),
            runner_up=seg.assignments["runner_up"].map(renumber),
        ),
    )
    for png in (
        render_scatter_png(table, gappy),
        render_k_chart_png(gappy),
        render_profile_png(gappy),
    ):
        check_png(png)
    assert sorted(r.number for r in rank_targets(gappy)) == [1, 2, 7]
    assert b",7," in assignments_csv(table, gappy)


def test_legend_shares_add_up_to_100_like_the_chat(frame_table, mall_frame) -> None:
    seg = segment_customers(frame_table(mall_frame), SegmentOptions(features=("income", "score")))
    labels = [legend_name(seg, s.number) for s in seg.segments]
    shares = [int(label.rsplit("(", 1)[1].rstrip("%)")) for label in labels]
    assert sum(shares) == 100
    first = seg.segments[0]
    assert labels[0].startswith(f"{first.number} · {first.persona.name} (")
