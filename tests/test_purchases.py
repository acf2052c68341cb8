"""Purchase logs: one row per purchase in, one row per customer out, named in RFM terms."""

from __future__ import annotations

import gzip
import io
import re
import zipfile

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import adjusted_rand_score
from test_conversation import ask, plain, upload

from bot.conversation import Conversation
from segmentation import IngestError, IngestLimits, load_customers, segment_customers
from segmentation.ingest.purchases import read_dates
from segmentation.sample import purchase_log_csv, purchase_log_frame


@pytest.fixture(scope="module")
def log() -> tuple[pd.DataFrame, pd.Series]:
    return purchase_log_frame()


def test_the_receipt_counts_purchases_customers_and_skipped_rows(log) -> None:
    frame, truth = log
    table = load_customers(frame.to_csv(index=False).encode(), "log.csv")
    info = table.receipt.purchases
    assert info is not None
    assert info["purchases"] == len(frame) - 6  # three unreadable dates, three amounts
    assert info["customers"] == len(truth) == len(table.customers)
    assert (info["first_date"], info["last_date"]) == ("2025-01-01", "2025-12-30")
    reasons = {s.reason: s.count for s in table.receipt.skipped}
    assert reasons == {"bad_date": 3, "bad_amount": 3}
    amounts = pd.to_numeric(frame["Amount"], errors="coerce")
    dated = pd.to_datetime(frame["Invoice Date"], errors="coerce").notna()
    returned = (amounts < 0) & dated
    assert info["returns"] == int(returned.sum())
    assert table.default_features == ("recency", "frequency", "spend")


def test_per_customer_figures_equal_a_plain_groupby(log) -> None:
    frame, _ = log
    table = load_customers(frame.to_csv(index=False).encode(), "log.csv")
    rows = frame.assign(
        date=pd.to_datetime(frame["Invoice Date"], errors="coerce"),
        amount=pd.to_numeric(frame["Amount"], errors="coerce"),
    ).dropna(subset=["date", "amount"])
    end = rows["date"].max() + pd.Timedelta(days=1)
    buying = rows[(rows["amount"] >= 0) & ~rows["Invoice"].str.startswith("C")]
    by = rows.groupby("Customer ID")
    expected = pd.DataFrame(
        {
            "recency": (end - by["date"].max()).dt.days.astype(float),
            "frequency": buying.groupby("Customer ID")["Invoice"].nunique().astype(float),
            "spend": by["amount"].sum().round(2),
            "tenure": (end - by["date"].min()).dt.days.astype(float),
        }
    )
    got = table.customers.loc[expected.index.astype(str)]
    np.testing.assert_allclose(got["recency"], expected["recency"])
    np.testing.assert_allclose(got["frequency"], expected["frequency"])
    np.testing.assert_allclose(got["spend"], expected["spend"], atol=0.01)
    np.testing.assert_allclose(got["tenure"], expected["tenure"])
    np.testing.assert_allclose(got["avg_order"], (got["spend"] / got["frequency"]).round(2))
    # cancellations and returns are netted: a customer's spend is purchases minus returns
    netted = rows.loc[rows["amount"] < 0, "Customer ID"].iloc[0]
    assert got.loc[str(netted), "spend"] < buying.groupby("Customer ID")["amount"].sum()[netted]
    assert set(np.unique(table.customers["r_score"])) == {1.0, 2.0, 3.0, 4.0, 5.0}
    assert table.customers["gender"].isin(["Female", "Male"]).all()


def test_planted_rfm_groups_come_back_with_rfm_names(log) -> None:
    frame, truth = log
    table = load_customers(frame.to_csv(index=False).encode(), "log.csv")
    seg = segment_customers(table)
    labels = seg.assignments["segment"].reindex(truth.index).to_numpy()
    assert adjusted_rand_score(truth.to_numpy(), labels) >= 0.85
    assert seg.features == ("recency", "frequency", "spend")
    names = {s.persona.name for s in seg.segments}
    assert {"Champions", "Loyal customers", "New customers", "At risk"} <= names
    assert names & {"Lost", "Hibernating"}
    champions = next(s for s in seg.segments if s.persona.name == "Champions")
    assert champions.median["recency"] < 15 and champions.median["frequency"] >= 15


def test_dates_are_read_in_the_format_their_values_show() -> None:
    def read(cells):
        dates, note = read_dates(pd.Series(cells, dtype=object))
        return [d.date().isoformat() if pd.notna(d) else None for d in dates], note

    assert read(["19970101", "19980630"])[0] == ["1997-01-01", "1998-06-30"]
    assert read(["2025-01-03", "2025-12-30 14:05"])[0] == ["2025-01-03", "2025-12-30"]
    assert read(["25/12/2025", "03/01/2025"]) == (["2025-12-25", "2025-01-03"], "")
    assert read(["12/25/2025", "01/03/2025"]) == (["2025-12-25", "2025-01-03"], "")
    ambiguous, note = read(["03/01/2025", "04/02/2025"])
    assert ambiguous == ["2025-01-03", "2025-02-04"] and "day/month" in note
    assert read(["45658", "45659"])[0] == ["2025-01-01", "2025-01-02"]
    assert read(["not recorded", "2025-01-03", "2025-01-04"])[0][0] is None


def _aligned(rows: int = 400) -> bytes:
    rng = np.random.default_rng(1)
    lines = [" customer_id  date number_of_cds  dollar_value"]
    for _ in range(rows):
        customer = f"{int(rng.integers(1, 60)):05d}"
        day = pd.Timestamp("1997-01-01") + pd.Timedelta(days=int(rng.integers(0, 500)))
        lines.append(
            f" {customer} {day:%Y%m%d}  {int(rng.integers(1, 4))}   {rng.uniform(5, 80):.2f}"
        )
    return ("\r\n".join(lines) + "\r\n").encode()


def test_a_space_aligned_export_is_read_by_column_never_as_one_number() -> None:
    table = load_customers(_aligned(), "log.txt")
    info = table.receipt.purchases
    assert info is not None and info["purchases"] == 400
    assert info["columns"]["quantity"] == "number_of_cds"
    assert info["columns"]["amount"] == "dollar_value"
    assert table.customers["spend"].max() < 80 * 400


def test_zipped_and_gzipped_logs_are_read_and_bombs_refused() -> None:
    data = purchase_log_csv(customers=300)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("export/purchases.csv", data)
    zipped = load_customers(buffer.getvalue(), "purchases.zip")
    gzipped = load_customers(gzip.compress(data), "purchases.csv.gz")
    plain_table = load_customers(data, "purchases.csv")
    assert zipped.receipt.purchases == gzipped.receipt.purchases == plain_table.receipt.purchases
    bomb = gzip.compress(b"0" * (30 * 1024 * 1024))
    small = IngestLimits(max_unpacked_bytes=10 * 1024 * 1024)
    with pytest.raises(IngestError, match=r"unpacks to more than 10\.0 MB"):
        load_customers(bomb, "bomb.csv.gz", limits=small)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("a.csv", b"0" * (30 * 1024 * 1024))
    with pytest.raises(IngestError, match="unpacks to more than"):
        load_customers(buffer.getvalue(), "bomb.zip", limits=small)


def test_repeated_ids_without_dates_stay_a_member_list() -> None:
    frame = pd.DataFrame(
        {"CustomerID": [1, 1, 2, 3] * 5, "Annual Income (k$)": range(20),
         "Spending Score (1-100)": range(20)}
    )  # fmt: skip
    frame["CustomerID"] = range(20)
    frame.loc[3, "CustomerID"] = 1
    table = load_customers(frame.to_csv(index=False).encode(), "members.csv")
    assert table.receipt.purchases is None
    assert any(s.reason == "duplicate_id" for s in table.receipt.skipped)


def test_cdnow_reads_as_the_published_purchase_log(datasets_dir) -> None:
    data = (datasets_dir / "CDNOW_master.txt").read_bytes()
    table = load_customers(data, "CDNOW_master.txt")
    info = table.receipt.purchases
    assert info is not None
    assert (info["purchases"], info["customers"]) == (69_659, 23_570)
    assert (info["first_date"], info["last_date"]) == ("1997-01-01", "1998-06-30")
    assert table.receipt.skipped == ()
    seg = segment_customers(table)
    assert {s.persona.name for s in seg.segments} <= {
        "Champions", "Loyal customers", "New customers", "Promising", "Need attention",
        "At risk", "Can't lose them", "Hibernating", "Lost",
    }  # fmt: skip


async def test_a_purchase_log_in_the_chat_shows_revenue_and_rfm(conv: Conversation) -> None:
    overview = plain(await upload(conv, purchase_log_csv(), "purchases.csv"))
    assert "a purchase log, 51,661 purchases by 2,000 customers" in overview
    assert "of customers" in overview and "of revenue" in overview
    assert "Champions" in overview
    _, truth = purchase_log_frame()
    champion = truth[truth == "champions"].index[0]
    who = plain(await ask(conv, f"/whois {champion}"))
    assert "R score" in who and "last purchase" in who.lower()


def _members_for(truth: pd.Series) -> bytes:
    rng = np.random.default_rng(2)
    ids = list(truth.index[:1_500]) + [f"9{i:05d}" for i in range(100)]
    frame = pd.DataFrame(
        {
            "Member ID": ids,
            "Age": rng.integers(18, 80, len(ids)),
            "City": rng.choice(["Lisbon", "Porto", "Faro"], len(ids)),
        }
    )
    return frame.to_csv(index=False).encode()


async def test_a_member_list_and_a_purchase_log_combine_with_one_safe_button(
    conv: Conversation,
) -> None:
    from test_conversation import CHAT, USER

    from bot.replies import Text

    _, truth = purchase_log_frame()
    await upload(conv, _members_for(truth), "members.csv")
    replies = await upload(conv, purchase_log_csv(), "purchases.csv")
    offer = replies[-1]
    assert isinstance(offer, Text)
    assert "1,500 of these 2,000 customers are also in upload #1 (members.csv)" in offer.html
    (button,) = [b for row in offer.buttons for b in row]
    assert button.label == "Combine with #1" and len(button.data.encode()) <= 64
    # someone else's press changes nothing, and neither does the asker's after it
    other = plain(await conv.on_button(CHAT, USER + 1, button.data))
    assert "nothing was changed" in other or "owner" in other
    combined = plain(await conv.on_button(CHAT, USER, button.data))
    assert "purchases.csv + members.csv: a purchase log" in combined
    assert (
        "Combined with members.csv: 1,500 of these customers are in its 1,600 members." in combined
    )
    assert "Member numbers: Age" in combined and "City" in combined
    listing = plain(await ask(conv, "/datasets"))
    assert "#3 purchases.csv + members.csv ✅ active" in listing
    again = plain(await conv.on_button(CHAT, USER, button.data))
    assert "nothing was changed" in again
    assert "#3 purchases.csv + members.csv ✅ active" in plain(await ask(conv, "/datasets"))


def test_a_log_longer_than_the_row_limit_is_refused_not_cut() -> None:
    data = purchase_log_csv(customers=300)
    with pytest.raises(IngestError, match="more than 1,000 purchases"):
        load_customers(data, "long.csv", limits=IngestLimits(max_rows=1_000))


async def test_month_over_month_on_purchase_logs(conv: Conversation) -> None:
    frame, _ = purchase_log_frame(customers=600)
    dates = pd.to_datetime(frame["Invoice Date"], errors="coerce")
    earlier = frame[(dates < pd.Timestamp("2025-12-01")) | dates.isna()]
    await upload(conv, earlier.to_csv(index=False).encode(), "november.csv")
    receipt = plain(await upload(conv, frame.to_csv(index=False).encode(), "december.csv"))
    assert "Since last upload:" in receipt and "segments matched" in receipt
    compared = plain(await ask(conv, "/compare"))
    assert "What changed: #1 november.csv → #2 december.csv" in compared
    assert "Customers in both:" in compared


def test_the_moved_list_of_a_purchase_log_leads_with_money_at_stake() -> None:
    from test_movement import two_months

    from segmentation import SegmentOptions

    frame, _ = purchase_log_frame(customers=600)
    dates = pd.to_datetime(frame["Invoice Date"], errors="coerce")
    earlier = frame[(dates < pd.Timestamp("2025-10-01")) | dates.isna()]
    *_, result = two_months(earlier, frame, SegmentOptions())
    moved = result.moved_customers
    assert len(moved) > 0 and {"spend before", "spend now"} <= set(moved.columns)
    change = (moved["spend now"] - moved["spend before"]).to_numpy()
    assert list(change) == sorted(change)


def _two_periods(log) -> tuple[pd.DataFrame, pd.DataFrame, str]:
    """The log cut 60 days before its end (last period), and the whole log (this one)."""
    frame, _ = log
    dates = pd.to_datetime(frame["Invoice Date"], errors="coerce")
    cut = dates.max() - pd.Timedelta(days=60)
    return frame.loc[dates <= cut], frame, cut.date().isoformat()


def test_lapsed_customers_and_downgrades_lead_a_purchase_log_comparison(log) -> None:
    from segmentation import (
        SegmentOptions,
        align_segments,
        compare_segmentations,
        purchase_moves,
        segment_customers,
        segment_lineage,
    )

    earlier, later, cut = _two_periods(log)
    then = load_customers(earlier.to_csv(index=False).encode(), "september.csv")
    previous = segment_customers(then, SegmentOptions())
    # forty of the most valuable customers stop buying after the cut
    best = max(previous.segments, key=lambda s: s.mean["spend"] * s.size).number
    assignments = previous.assignments["segment"]
    quitting = set(assignments.index[assignments == best][:40])
    dates = pd.to_datetime(later["Invoice Date"], errors="coerce")
    later = later.loc[~(later["Customer ID"].astype(str).isin(quitting) & (dates > cut))]
    now = load_customers(later.to_csv(index=False).encode(), "november.csv")
    current, _ = align_segments(segment_customers(now, SegmentOptions()), previous)
    result = compare_segmentations(
        previous,
        current,
        lineage=segment_lineage(previous, current),
        previous_values=then.customers,
        current_values=now.customers,
    )
    moves = purchase_moves(
        previous,
        current,
        result,
        then.customers,
        now.customers,
        then.receipt.purchases,
        now.receipt.purchases,
    )
    assert moves is not None
    # the truth, from the raw rows: bought by the cut, and no purchase after it
    since = pd.Timestamp(moves.since)
    dates = pd.to_datetime(later["Invoice Date"], errors="coerce")
    ids = later["Customer ID"].astype(str)
    amount = pd.to_numeric(later["Amount"], errors="coerce")
    bought_after = set(ids[(dates > since) & (amount > 0)])
    assert moves.customers_before == len(then.customers)
    lapsed = set(then.customers.index) - bought_after
    assert abs(moves.lapsed - len(lapsed)) <= len(then.customers) // 100  # returns-only rows
    assert 0 < moves.lapsed < moves.customers_before
    assert moves.lapsed_spend == pytest.approx(
        then.customers.loc[list(set(then.customers.index) - bought_after), "spend"].sum(),
        rel=0.02,
    )
    assert quitting <= lapsed
    assert moves.top_segment == best
    assert moves.downgraded == sum(moves.downgraded_to.values()) <= moves.top_size
    assert moves.downgraded >= len(quitting)
    from bot.text.compare import purchase_headline
    from bot.text.format import plain_text

    said = plain_text("\n".join(purchase_headline(moves, result, None)))
    name = previous.segment(best).persona.name
    assert f"Left {name}, the most valuable segment: {moves.downgraded} of {moves.top_size}" in said
    assert "stopped buying" in said
    # the same period twice has no "since"
    same = purchase_moves(
        previous,
        previous,
        compare_segmentations(previous, previous),
        then.customers,
        then.customers,
        then.receipt.purchases,
        then.receipt.purchases,
    )
    assert same is None


async def test_compare_of_two_purchase_logs_opens_with_who_stopped_buying(
    conv: Conversation, log
) -> None:
    earlier, later, _ = _two_periods(log)
    await upload(conv, earlier.to_csv(index=False).encode(), "september.csv")
    await upload(conv, later.to_csv(index=False).encode(), "november.csv")
    answer = plain(await ask(conv, "/compare"))
    head = answer.splitlines()[:4]
    assert head[1].startswith("Since ")
    assert re.search(r"Lapsed: [\d,]+ of [\d,]+ customers bought nothing after", head[2])
    assert "the most valuable segment" in head[3]


def test_members_ids_written_with_zeros_come_along_when_combined() -> None:
    from segmentation import ID_AS_WRITTEN, combine

    _, truth = purchase_log_frame()
    members = pd.read_csv(io.BytesIO(_members_for(truth)), dtype={"Member ID": str})
    members["Member ID"] = members["Member ID"].str.zfill(8)
    member_table = load_customers(members.to_csv(index=False).encode(), "members.csv")
    assert member_table.id_widths is not None and ID_AS_WRITTEN not in member_table.customers
    combined = combine(load_customers(purchase_log_csv(), "purchases.csv"), member_table)
    written = combined.customers[ID_AS_WRITTEN]
    first = truth.index[0]
    assert written[first] == first.zfill(8)
    assert written.notna().sum() == 1_500
