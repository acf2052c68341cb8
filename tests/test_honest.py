"""segbot never sounds surer than the data allows: skew, outliers, no groups, noise columns, names.

Every table here is generated (``segmentation.planted`` or inline), so the tests run on a clone
with nothing beside it.
"""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import adjusted_rand_score
from test_conversation import ask, plain, upload

from bot.conversation import Conversation
from segmentation import (
    SegmentOptions,
    assignments_csv,
    load_customers,
    segment_customers,
)
from segmentation.planted import (
    categorical_groups,
    noise_column,
    one_blob,
    skewed_tiers,
    structure_with_noise,
    uniform_noise,
)
from segmentation.structure import verdict


def _segment(frame: pd.DataFrame, options: SegmentOptions | None = None):
    table = load_customers(frame.to_csv(index=False).encode(), "members.csv")
    return table, segment_customers(table, options or SegmentOptions())


def _ari(seg, frame: pd.DataFrame, truth: np.ndarray) -> float:
    labels = seg.assignments["segment"].reindex(frame.iloc[:, 0].astype(str)).to_numpy()
    keep = truth >= 0
    return adjusted_rand_score(truth[keep], labels[keep])


def test_skewed_spend_is_compared_by_ratio_and_whales_join_their_tier() -> None:
    frame, truth = skewed_tiers()
    _, seg = _segment(frame)
    assert set(seg.transformed) == {"Annual spend ($)", "Visits per month"}
    assert _ari(seg, frame, truth) >= 0.7
    # no handful of very large customers makes a segment of its own
    assert min(s.share for s in seg.segments) >= 0.02
    assert seg.quality.verdict in {"clear", "moderate"}
    # what is shown stays in dollars: the top tier's centre is near its planted 7,500 a year
    top = max(seg.segments, key=lambda s: s.centroid["Annual spend ($)"])
    assert 5_000 < top.centroid["Annual spend ($)"] < 11_000
    assert "Big spenders" in top.persona.name


def test_a_few_extreme_customers_are_placed_counted_and_marked_not_made_a_segment() -> None:
    rng = np.random.default_rng(5)
    centres = np.array([[30.0, 30.0], [70.0, 75.0], [100.0, 25.0]])
    points = np.vstack([rng.normal(c, 6.0, (200, 2)) for c in centres])
    visits = rng.normal(4.0, 0.8, len(points)).clip(0.5)
    visits[:4] = [60.0, 75.0, 90.0, 66.0]  # four customers who practically live at the mall
    frame = pd.DataFrame(
        {
            "CustomerID": [f"M{i}" for i in range(len(points))],
            "Annual Income (k$)": points[:, 0].round(1),
            "Spending Score (1-100)": points[:, 1].clip(1, 100).round(),
            "Visits per month": visits.round(1),
        }
    )
    options = SegmentOptions(features=("income", "score", "Visits per month"))
    table, seg = _segment(frame, options)
    assert seg.k == 3
    assert min(s.size for s in seg.segments) > 150
    assert seg.unusual_total == 4 and seg.unusual == {"Visits per month": 4}
    assert seg.assignments["unusual"].sum() == 4
    assert set(seg.assignments.loc[["M0", "M1", "M2", "M3"], "segment"]) <= {1, 2, 3}
    exported = pd.read_csv(io.BytesIO(assignments_csv(table, seg)), dtype=str).fillna("")
    marked = exported.loc[exported["far_outside_the_rest"] == "yes", "customer_id"]
    assert sorted(marked) == ["M0", "M1", "M2", "M3"]


@pytest.mark.parametrize("make", [uniform_noise, one_blob], ids=["uniform", "one blob"])
def test_no_groups_is_said_plainly_with_a_few_bands(make) -> None:
    frame, _ = make()
    _, seg = _segment(frame)
    assert seg.quality.verdict == "none"
    assert seg.k == 3  # bands, not nine confident types
    assert seg.quality.excess < 0.04


def test_a_noise_column_is_left_out_and_the_real_groups_come_back() -> None:
    for make in (noise_column, structure_with_noise):
        frame, truth = make()
        _, seg = _segment(frame)
        assert seg.left_out == ("age",)
        assert seg.features == ("income", "score")
        assert _ari(seg, frame, truth) >= 0.9
        assert seg.quality.verdict == "clear"
        # naming the noise column still uses it: the caller decides
        _, named = _segment(frame, SegmentOptions(features=("age", "income", "score")))
        assert named.left_out == () and "age" in named.features


def test_a_text_column_can_be_named_and_names_its_segments() -> None:
    frame, truth = categorical_groups()
    _, default = _segment(frame)
    assert default.quality.verdict == "none"  # spend alone overlaps
    _, seg = _segment(frame, SegmentOptions(features=("Membership tier", "Annual spend")))
    assert _ari(seg, frame, truth) >= 0.95
    names = " | ".join(s.persona.name for s in seg.segments)
    for tier in ("Bronze", "Silver", "Gold"):
        assert f"membership tier {tier}" in names


def test_the_verdict_follows_its_documented_thresholds() -> None:
    assert verdict(0.20, 0.95) == "clear"
    assert verdict(0.20, 0.70) == "moderate"  # clear groups that do not come back every time
    assert verdict(0.10, 0.90) == "moderate"
    assert verdict(0.10, 0.40) == "weak"
    assert verdict(0.05, 0.99) == "weak"
    assert verdict(0.02, 0.99) == "none"


def test_stability_is_measured_on_the_whole_table() -> None:
    frame, _ = noise_column()
    _, seg = _segment(frame, SegmentOptions(features=("income", "score")))
    assert seg.quality.stability > 0.95


def test_a_k_at_the_top_of_the_range_is_flagged() -> None:
    rng = np.random.default_rng(9)
    centres = [(x, y) for x in (10, 40, 70, 100) for y in (10, 45, 80)]
    points = np.vstack([rng.normal(c, 2.5, (40, 2)) for c in centres])
    frame = pd.DataFrame(
        {
            "CustomerID": range(1, len(points) + 1),
            "Annual Income (k$)": points[:, 0].round(2),
            "Spending Score (1-100)": points[:, 1].round(2),
        }
    )
    _, seg = _segment(frame, SegmentOptions(k_max=8))
    assert seg.k == 8 and seg.k_choice.at_edge


def _names(frame: pd.DataFrame, options: SegmentOptions | None = None) -> list[str]:
    return [s.persona.name for s in _segment(frame, options)[1].segments]


def _spend_table(spend_header: str) -> pd.DataFrame:
    rng = np.random.default_rng(4)
    n = 300
    income = rng.normal(60, 8, n)
    spend = rng.normal(1_000, 120, n)
    spend[:40] *= 5  # a group spending five times the average, with an ordinary income
    income[:40] += 12
    return pd.DataFrame(
        {"CustomerID": range(1, n + 1), "Annual Income (k$)": income.round(1),
         spend_header: spend.round(2)}
    )  # fmt: skip


def test_the_defining_trait_names_the_segment_whatever_the_header() -> None:
    first = _names(_spend_table("Spending ($)"), SegmentOptions(k=2))
    second = _names(_spend_table("Total spend"), SegmentOptions(k=2))
    third = _names(_spend_table("Purchases amount"), SegmentOptions(k=2))
    assert first == second == third
    assert any("big spenders" in name.lower() for name in first)
    assert not any(name.startswith("High earners") for name in first)


def test_an_extreme_trait_is_never_hidden() -> None:
    rng = np.random.default_rng(8)
    n = 400
    family = rng.integers(1, 4, n).astype(float)
    income = rng.normal(60, 10, n)
    score = rng.normal(50, 10, n)
    family[:60] = rng.integers(7, 10, 60)
    score[:60] += 25
    frame = pd.DataFrame(
        {"CustomerID": range(1, n + 1), "Annual Income (k$)": income.round(1),
         "Spending Score (1-100)": score.round(), "Family size": family}
    )  # fmt: skip
    _, seg = _segment(frame, SegmentOptions(k=2, features=("income", "score", "Family size")))
    big = max(seg.segments, key=lambda s: s.centroid["Family size"])
    assert "large famil" in (big.persona.name + big.persona.description).lower()
    first_line = big.persona.description.split(";")[0].lower()
    assert "large families" in big.persona.name.lower() or "family size" in first_line


def test_gender_is_said_when_a_segment_is_mostly_one_gender() -> None:
    rng = np.random.default_rng(6)
    n = 300
    gender = np.where(np.arange(n) < 100, "Male", rng.choice(["Female", "Male"], n, p=[0.7, 0.3]))
    score = np.where(np.arange(n) < 100, rng.normal(85, 5, n), rng.normal(35, 8, n))
    frame = pd.DataFrame(
        {"CustomerID": range(1, n + 1), "Gender": gender,
         "Annual Income (k$)": rng.normal(60, 10, n).round(1),
         "Spending Score (1-100)": score.clip(1, 100).round()}
    )  # fmt: skip
    _, seg = _segment(frame, SegmentOptions(k=2))
    men = max(seg.segments, key=lambda s: s.gender_mix.get("Male", 0))
    assert men.gender_mix["Male"] == 1.0
    assert men.persona.name.endswith(", all men")


def test_siblings_either_side_of_a_threshold_read_the_same() -> None:
    from segmentation.personas import _settle
    from segmentation.standing import level_of

    settled = _settle([{"income": -0.54}, {"income": -0.49}, {"income": 1.2}])
    assert level_of(settled[0]["income"]) == level_of(settled[1]["income"])
    assert settled[2]["income"] == 1.2


async def test_the_chat_says_the_verdict_and_no_confident_target_without_groups(
    conv: Conversation,
) -> None:
    frame, _ = uniform_noise()
    overview = plain(await upload(conv, frame.to_csv(index=False).encode(), "noise.csv"))
    assert "do not fall into distinct groups" in overview
    assert "clearest" not in overview and "Top target" not in overview
    assert "No segment stands out as a target" in overview
    target = plain(await ask(conv, "/target"))
    assert target.startswith("These customers do not fall into distinct groups")
    assert "🎯 Target first" not in target
    segments = plain(await ask(conv, "/segments"))
    assert "treat the segments as bands, not types" in segments
    assert "silhouette" not in segments
    chart = await ask(conv, "/plot k")
    assert "Scores: silhouette" in plain(chart)


async def test_the_chat_says_which_columns_were_logged_or_left_out(conv: Conversation) -> None:
    frame, _ = skewed_tiers()
    overview = plain(await upload(conv, frame.to_csv(index=False).encode(), "tiers.csv"))
    assert "compared by ratio (log scale)" in overview
    assert "These groups are clear and stable." in overview
    frame, _ = noise_column()
    plain(await upload(conv, frame.to_csv(index=False).encode(), "noise-age.csv"))
    segments = plain(await ask(conv, "/segments"))
    assert "Left out age: it adds no group structure here" in segments


def test_many_logged_columns_are_named_three_and_counted() -> None:
    from dataclasses import replace

    from bot.text.segments import method_notes
    from segmentation import SegmentOptions, load_customers, sample_csv, segment_customers

    seg = segment_customers(load_customers(sample_csv(), "m.csv"), SegmentOptions())
    many = ("income", "score", "age", "visits", "basket", "returns")
    wide = replace(seg, features=many, log_offsets=(1.0,) * len(many))
    note = next(n for n in method_notes(wide) if "compared by ratio" in n)
    assert note.startswith("Income, spending score, age and 3 other columns compared by")
    assert len(note) < 140
