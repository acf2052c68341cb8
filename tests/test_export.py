"""The per-customer export: ids, segments, personas, original headers, formula-safe."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd

from segmentation import ID_AS_WRITTEN, load_customers
from segmentation.export import assignments_csv, neutralise
from segmentation.model import segment_customers
from segmentation.result import SegmentOptions


def test_neutralise_only_formula_starts() -> None:
    assert neutralise("=SUM(A1)") == "'=SUM(A1)"
    for bad in ("+1", "-2", "@x", "\tx", "\rx"):
        assert neutralise(bad) == "'" + bad
    assert neutralise("Lisbon") == "Lisbon"


def test_mall_export_has_original_headers_and_every_customer(frame_table, mall_frame) -> None:
    headers = {
        "customer_id": "CustomerID",
        "gender": "Genre",
        "age": "Age",
        "income": "Annual Income (k$)",
        "score": "Spending Score (1-100)",
    }
    table = frame_table(mall_frame, headers=headers)
    seg = segment_customers(table, SegmentOptions(features=("income", "score")))
    data = assignments_csv(table, seg)
    assert data.startswith(b"\xef\xbb\xbfcustomer_id,segment,persona,CustomerID,Genre,Age,")
    out = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype={"customer_id": str})
    assert len(out) == 200
    assert list(out.columns[3:]) == [
        "CustomerID",
        "Genre",
        "Age",
        "Annual Income (k$)",
        "Spending Score (1-100)",
    ]
    assert out.loc[0, "customer_id"] == "1"
    assert out["segment"].between(1, 5).all()
    names = {s.number: s.persona.name for s in seg.segments}
    assert (out["persona"] == out["segment"].map(names)).all()
    assert b"\r\n1,4," in data or b"\r\n1," in data
    assert b",15," in data and b"15.0" not in data  # whole numbers stay whole


def test_formula_text_is_neutralised_but_negative_numbers_stay(frame_table) -> None:
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(
        {
            "income": rng.normal(50, 10, 20),
            "balance": np.linspace(-100.5, 100.5, 20),
            "note": ["=HYPERLINK(1)", "@cmd", "-x", "+1", "ok"] * 4,
        },
        index=[f"=id{i}" if i == 0 else str(i) for i in range(20)],
    )
    table = frame_table(frame)
    seg = segment_customers(table, SegmentOptions(k=2))
    text = assignments_csv(table, seg).decode("utf-8-sig")
    assert "\r\n'=id0," in text
    assert ",'=HYPERLINK(1)\r\n" in text and ",'@cmd\r\n" in text and ",'-x\r\n" in text
    assert ",-100.5," in text


def test_ids_keep_the_zeros_they_were_written_with() -> None:
    rows = "\n".join(f"{i:04d},{20 + i % 50},{i % 97 + 1}" for i in range(1, 41))
    data = f"Member No,Age,Spending Score (1-100)\n{rows}\n".encode()
    table = load_customers(data, "members.csv")
    assert table.customers.index[0] == "1"  # one key for 0001 and 1
    seg = segment_customers(table, SegmentOptions(k=2))
    out = pd.read_csv(io.BytesIO(assignments_csv(table, seg)), encoding="utf-8-sig", dtype=str)
    assert list(out.columns[:4]) == ["customer_id", "segment", "persona", "Member No"]
    assert out.loc[0, "customer_id"] == "0001" == out.loc[0, "Member No"]
    assert ID_AS_WRITTEN not in out.columns
