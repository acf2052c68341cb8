"""Targeting: an explicit score, grow versus retain, a clear top pick."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from segmentation.model import segment_customers
from segmentation.result import SegmentOptions
from segmentation.targeting import close_call, rank_targets


def test_mall_top_pick_is_careful_high_earners(frame_table, mall_frame) -> None:
    seg = segment_customers(frame_table(mall_frame), SegmentOptions(features=("income", "score")))
    ranks = rank_targets(seg)
    assert [r.rank for r in ranks] == list(range(1, 6))
    assert sorted(r.number for r in ranks) == [1, 2, 3, 4, 5]
    by_name = {seg.segment(r.number).persona.name: r for r in ranks}
    top = ranks[0]
    assert seg.segment(top.number).persona.name == "Careful high earners"
    assert top.kind == "grow"
    assert top.score > ranks[1].score + 0.05
    assert by_name["Affluent big spenders"].kind == "retain"
    assert by_name["Affluent big spenders"].rank == 2
    # the biggest spenders on modest incomes rank above the customers who spend least
    assert by_name["Impulsive budget shoppers"].rank < by_name["Frugal low earners"].rank
    assert by_name["Frugal low earners"].kind == "reactivate"
    assert by_name["Mainstream middle"].kind == "monitor"
    for r in ranks:
        assert set(r.drivers) == {"spend", "headroom", "means", "size"}
        assert all(0 <= v <= 1 for v in r.drivers.values())
        assert 0 <= r.score <= 1
    # scores fall with the rank, except that a "monitor" segment always comes last
    acting = [r.score for r in ranks if r.kind != "monitor"]
    assert acting == sorted(acting, reverse=True)
    assert ranks[-1].kind == "monitor"
    # the top two swap when the retain weight is 1.0 instead of 0.8: a close call, said
    assert close_call(seg) == (top.number, by_name["Affluent big spenders"].number)


def test_without_income_or_score_it_still_ranks(frame_table) -> None:
    rng = np.random.default_rng(4)
    rows = np.vstack([rng.normal(c, 5, size=(30, 2)) for c in ((10, 10), (60, 60), (90, 20))])
    frame = pd.DataFrame(rows, columns=["Fresh", "Milk"])
    seg = segment_customers(frame_table(frame), SegmentOptions(k=3))
    ranks = rank_targets(seg)
    assert len(ranks) == 3
    assert all(r.drivers["means"] == 0.5 for r in ranks)  # neutral without income
    # without income headroom cannot be told: the segment buying most comes first, to keep
    highest = max(seg.segments, key=lambda s: s.mean["Fresh"] + s.mean["Milk"])
    lowest = min(seg.segments, key=lambda s: s.mean["Fresh"] + s.mean["Milk"])
    assert ranks[0].number == highest.number and ranks[0].kind == "retain"
    assert [r.number for r in ranks if r.kind != "monitor"][-1] == lowest.number


def test_spending_like_columns_stand_in_for_score(frame_table) -> None:
    rng = np.random.default_rng(5)
    rows = np.vstack(
        [rng.normal(c, 3, size=(30, 3)) for c in ((20, 80, 10), (80, 20, 50), (50, 50, 90))]
    )
    frame = pd.DataFrame(rows, columns=["income", "MntWines", "Recency"])
    seg = segment_customers(frame_table(frame), SegmentOptions(k=3))
    ranks = rank_targets(seg)
    top = seg.segment(ranks[0].number)
    assert top.mean["income"] > 70 and ranks[0].kind == "grow"  # rich, low wine spend


def test_the_ranking_reports_which_columns_spend_and_means_rest_on() -> None:
    from segmentation import load_customers, sample_csv, segment_customers

    seg = segment_customers(load_customers(sample_csv(), "sample.csv"))
    ranks = rank_targets(seg)
    assert {r.number for r in ranks} == {s.number for s in seg.segments}
    for rank in ranks:
        assert rank.basis == {"spend": ("score",), "means": ("income",)}


def test_a_monitor_segment_is_never_the_top_pick(datasets_dir) -> None:
    from segmentation import load_customers

    data = (datasets_dir / "wholesale_customers.csv").read_bytes()
    seg = segment_customers(load_customers(data, "wholesale.csv"))
    ranks = rank_targets(seg)
    assert ranks[0].kind != "monitor"
    kinds = [r.kind for r in ranks]
    assert kinds == sorted(kinds, key=lambda k: k == "monitor")


async def test_target_ranks_for_one_goal_and_plain_questions_reach_it(conv) -> None:
    from test_conversation import ask, plain, upload

    from bot.intents import match_intent
    from segmentation import purchase_log_csv, sample_csv

    await upload(conv, sample_csv(), "members.csv")
    grow = plain(await ask(conv, "/target grow"))
    assert grow.startswith("🎯 To grow: segment") and "room to grow" in grow
    keep = plain(await ask(conv, "/target retain"))
    assert keep.startswith("🎯 To keep: segment") and "keep them spending" in keep
    assert "needs purchase dates" in plain(await ask(conv, "/target win-back"))
    assert "/target grow, /target retain or /target win-back" in plain(
        await ask(conv, "/target everyone")
    )
    await upload(conv, purchase_log_csv(), "purchases.csv")
    back = plain(await ask(conv, "/target win-back"))
    assert back.startswith("🎯 To win back: segment") and "At risk" in back.splitlines()[0]
    assert "of revenue" in back
    lose = match_intent("Who might we lose?")
    assert lose is not None and (lose.command, lose.args) == ("target", "win-back")
    discount = match_intent("who should get a discount?")
    assert discount is not None and (discount.command, discount.args) == ("target", "grow")
    which = match_intent("which segment should we target?")
    assert which is not None and (which.command, which.args) == ("target", "")


def test_a_purchase_log_ranks_by_revenue_at_stake() -> None:
    from segmentation import load_customers, purchase_log_csv, revenue_by_segment

    seg = segment_customers(load_customers(purchase_log_csv(), "p.csv"), SegmentOptions())
    revenue = revenue_by_segment(seg)
    ranking = rank_targets(seg)
    assert ranking[0].number == max(revenue, key=lambda n: revenue[n])
    assert ranking[0].kind != "monitor"
    total = sum(revenue.values())
    for rank in ranking:
        assert rank.drivers["revenue_share"] == pytest.approx(
            revenue[rank.number] / total, abs=1e-3
        )
    # a segment never outranks one with five times its revenue unless it is slipping away
    for high in ranking:
        for low in ranking:
            if revenue[low.number] * 5 < revenue[high.number] and low.rank < high.rank:
                assert low.drivers["urgency"] > high.drivers["urgency"]
