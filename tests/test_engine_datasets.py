"""The engine on the real public files, read through ingestion."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from sklearn.metrics import adjusted_rand_score

from segmentation.charts import render_k_chart_png, render_profile_png, render_scatter_png
from segmentation.export import assignments_csv
from segmentation.ingest.load import IngestError, load_customers
from segmentation.model import SegmentationError, segment_customers
from segmentation.result import SegmentOptions
from segmentation.targeting import rank_targets

CLASSIC = {
    (55, 50): "Mainstream middle",
    (87, 82): "Affluent big spenders",
    (88, 17): "Careful high earners",
    (26, 21): "Frugal low earners",
    (26, 79): "Impulsive budget shoppers",
}
DATASET_NAMES = [
    "mall_customers.csv",
    "wholesale_customers.csv",
    "marketing_campaign.csv",
    "cc_general.csv",
    "customer_segmentation_train.csv",
]


def test_mall_file_through_ingestion_gives_the_classic_five(mall_bytes: bytes) -> None:
    table = load_customers(mall_bytes, "mall_customers.csv")
    seg = segment_customers(table, SegmentOptions(features=("income", "score")))
    assert seg.k == 5 and seg.k_choice.auto
    points = table.customers[["income", "score"]].to_numpy(dtype=float)
    centres = np.array(list(CLASSIC), dtype=float)
    classic = np.argmin(((points[:, None, :] - centres[None]) ** 2).sum(axis=2), axis=1)
    assert adjusted_rand_score(classic, seg.assignments["segment"]) >= 0.99
    assert [s.size for s in seg.segments] == [81, 39, 35, 23, 22]
    for segment in seg.segments:
        centre = np.array([segment.centroid["income"], segment.centroid["score"]])
        nearest = min(CLASSIC, key=lambda c: float(((np.array(c) - centre) ** 2).sum()))
        assert segment.persona.name == CLASSIC[nearest]
    top = rank_targets(seg)[0]
    assert seg.segment(top.number).persona.name == "Careful high earners"


@pytest.mark.parametrize("name", DATASET_NAMES)
def test_every_public_file_segments_or_is_refused_with_a_reason(
    datasets_dir: Path, name: str
) -> None:
    data = (datasets_dir / name).read_bytes()
    try:
        table = load_customers(data, name)
        seg = segment_customers(table)
    except (IngestError, SegmentationError) as error:
        assert len(str(error)) > 20
        return
    names = [s.persona.name for s in seg.segments]
    assert len(set(names)) == len(names) and all(names)
    assert all(s.persona.description and s.persona.action for s in seg.segments)
    assert 2 <= seg.k <= 10
    assert len(seg.assignments) == len(table.customers)
    assert len(rank_targets(seg)) == seg.k
    for png in (render_scatter_png(table, seg), render_k_chart_png(seg), render_profile_png(seg)):
        assert len(png) <= 500 * 1024
    assert assignments_csv(table, seg).count(b"\r\n") == len(table.customers) + 1


def _rewrites(mall_bytes: bytes) -> dict[str, bytes]:
    """A few exports of the same customers, as other tools would write them."""
    lines = mall_bytes.decode("ascii").split("\r\n")
    rows = [line.split(",") for line in lines]
    semicolon = "\n".join(";".join(r) for r in rows).encode("utf-8-sig")
    header = "Spending Score,Customer ID,Annual Income,Age,Sex"
    body = [",".join([r[4], r[0], r[3], r[2], r[1]]) for r in rows[1:]]
    reordered = "\n".join([header, *body]).encode("cp1252")
    utf16 = "\r\n".join("\t".join(r) for r in rows).encode("utf-16")
    return {"semicolon_bom": semicolon, "renamed_reordered": reordered, "utf16_tab": utf16}


def test_rewrites_of_the_mall_file_give_the_same_segments(mall_bytes: bytes) -> None:
    reference = segment_customers(load_customers(mall_bytes, "mall.csv"))
    for name, data in _rewrites(mall_bytes).items():
        seg = segment_customers(load_customers(data, f"{name}.csv"))
        assert seg.features == reference.features, name
        assert (seg.assignments["segment"] == reference.assignments["segment"]).all(), name
        # names are the same; descriptions may differ only by the unit the header gave
        assert [s.persona.name for s in seg.segments] == [
            s.persona.name for s in reference.segments
        ]
