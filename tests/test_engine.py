"""The engine: features, automatic k, canonical numbering, quality and determinism."""

from __future__ import annotations

import json
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import adjusted_rand_score

from segmentation.choose_k import KEEP_MARGIN, kept_k, runner_up_reason
from segmentation.model import SegmentationError, segment_customers
from segmentation.movement import align_segments
from segmentation.result import QUANTILE_LEVELS, KChoice, Segmentation, SegmentOptions
from segmentation.sample import sample_frame

CLASSIC_CENTRES = np.array([(55, 50), (87, 82), (88, 17), (26, 21), (26, 79)], dtype=float)
CLASSIC_NAMES = {
    (87, 82): "Affluent big spenders",
    (88, 17): "Careful high earners",
    (26, 79): "Impulsive budget shoppers",
    (26, 21): "Frugal low earners",
    (55, 50): "Mainstream middle",
}


def blobs(sizes: tuple[int, ...], seed: int = 3) -> tuple[pd.DataFrame, np.ndarray]:
    """Well-separated income × score groups and their true labels."""
    rng = np.random.default_rng(seed)
    centres = [(20, 20), (80, 80), (20, 80), (80, 20), (50, 50)][: len(sizes)]
    parts, truth = [], []
    for label, ((cx, cy), size) in enumerate(zip(centres, sizes, strict=True)):
        parts.append(rng.normal((cx, cy), 3.0, size=(size, 2)))
        truth += [label] * size
    values = np.vstack(parts)
    frame = pd.DataFrame(values, columns=["income", "score"])
    frame.index = [f"C{i:04d}" for i in range(len(frame))]
    return frame, np.array(truth)


def test_auto_k_finds_three_blobs_and_numbers_by_size(frame_table) -> None:
    frame, truth = blobs((30, 50, 20))
    seg = segment_customers(frame_table(frame))
    assert seg.k == 3
    assert seg.k_choice.auto and seg.k_choice.criterion == "silhouette"
    # 100 customers: a k that leaves a segment under 2% (3 customers) is no candidate
    assert set(range(2, 8)) <= set(seg.k_choice.scores) <= set(range(2, 11))
    labels = seg.assignments["segment"].to_numpy()
    assert adjusted_rand_score(truth, labels) == pytest.approx(1.0)
    assert seg.quality.verdict == "clear"
    assert seg.quality.excess > 0.3
    assert [s.size for s in seg.segments] == [50, 30, 20]
    assert [s.number for s in seg.segments] == [1, 2, 3]
    assert sum(s.share for s in seg.segments) == pytest.approx(1.0)
    assert seg.quality.silhouette > 0.8
    assert seg.quality.stability == pytest.approx(1.0)
    assert seg.quality.davies_bouldin < 0.5
    assert seg.quality.calinski_harabasz > 100


def test_assignments_indexed_by_id_with_runner_up_and_distance(frame_table) -> None:
    frame, _ = blobs((30, 50, 20))
    seg = segment_customers(frame_table(frame))
    a = seg.assignments
    assert a.index.name == "customer_id"
    assert list(a.index) == list(frame.index)
    assert list(a.columns) == ["segment", "distance", "runner_up", "unusual"]
    assert not a["unusual"].any()
    assert (a["segment"] != a["runner_up"]).all()
    assert (a["distance"] >= 0).all()
    for segment in seg.segments:
        assert len(segment.distance_quantiles) == len(QUANTILE_LEVELS)
        assert list(segment.distance_quantiles) == sorted(segment.distance_quantiles)
    assert set(seg.population) == {"income", "score"}
    assert all(len(v) == 101 for v in seg.population.values())


def test_centroid_mean_median_in_original_units(frame_table) -> None:
    frame, _ = blobs((30, 50, 20))
    seg = segment_customers(frame_table(frame))
    biggest = seg.segment(1)
    assert biggest.centroid["income"] == pytest.approx(80, abs=2)
    assert biggest.centroid["score"] == pytest.approx(80, abs=2)
    assert biggest.mean["income"] == pytest.approx(biggest.centroid["income"])
    assert biggest.median["score"] == pytest.approx(80, abs=2)


def test_same_input_same_segments_numbers_and_names(frame_table) -> None:
    frame = sample_frame(600, seed=11).set_index("CustomerID")
    frame = frame.rename(
        columns={
            "Gender": "gender",
            "Age": "age",
            "Annual Income (k$)": "income",
            "Spending Score (1-100)": "score",
        }
    ).astype({"age": float, "income": float, "score": float})
    first = segment_customers(frame_table(frame))
    second = segment_customers(frame_table(frame.copy()))
    pd.testing.assert_frame_equal(first.assignments, second.assignments)
    assert [s.persona for s in first.segments] == [s.persona for s in second.segments]
    assert first.k_choice == second.k_choice
    assert first.quality == second.quality


def test_fixed_k_and_its_bounds(frame_table) -> None:
    frame, _ = blobs((30, 50, 20))
    table = frame_table(frame)
    seg = segment_customers(table, SegmentOptions(k=4))
    assert seg.k == 4 and not seg.k_choice.auto and seg.k_choice.runner_up is None
    assert set(range(2, 8)) <= set(seg.k_choice.scores) <= set(range(2, 11))  # for reference
    with pytest.raises(SegmentationError, match="between 2 and"):
        segment_customers(table, SegmentOptions(k=1))
    with pytest.raises(SegmentationError, match="k range"):
        segment_customers(table, SegmentOptions(k_min=6, k_max=3))


def test_unknown_features_are_refused_and_text_features_weigh_like_one_column(
    frame_table,
) -> None:
    frame, _ = blobs((30, 50, 20))
    frame["city"] = ["Lisbon", "Porto", "Braga", "Faro"] * 25
    table = frame_table(frame)
    with pytest.raises(SegmentationError, match=r"no column called 'wealth'.*income, score"):
        segment_customers(table, SegmentOptions(features=("wealth",)))
    seg = segment_customers(table, SegmentOptions(features=("city", "income")))
    levels = ("city=Braga", "city=Faro", "city=Lisbon", "city=Porto")
    assert seg.features == (*levels, "income")
    # four 0/1 levels, scaled so that together they weigh like the one income column
    x = seg.standardise(
        np.column_stack(
            [(frame["city"] == lv.split("=")[1]) for lv in levels] + [frame["income"]]
        ).astype(float)
    )
    assert x[:, :4].var(axis=0).sum() == pytest.approx(x[:, 4].var(), rel=1e-6)
    for segment in seg.segments:
        assert sum(segment.centroid[lv] for lv in levels) == pytest.approx(1.0)


def test_gender_is_profiled_by_default_and_one_hot_when_asked(frame_table) -> None:
    frame, _ = blobs((30, 50, 20))
    frame["gender"] = ["Female", "Male"] * 50
    table = frame_table(frame)
    seg = segment_customers(table)
    assert seg.features == ("income", "score")
    assert set(seg.segment(1).gender_mix) == {"Female", "Male"}
    with_gender = segment_customers(table, SegmentOptions(features=("gender", "income")))
    assert with_gender.features == ("gender=Female", "gender=Male", "income")
    for segment in with_gender.segments:
        assert 0 <= segment.centroid["gender=Female"] <= 1


def test_too_few_customers(frame_table) -> None:
    frame, _ = blobs((3, 3, 3))
    with pytest.raises(SegmentationError, match="at least 10"):
        segment_customers(frame_table(frame))


def test_customers_with_a_missing_value_are_placed_by_the_rest(frame_table) -> None:
    frame, truth = blobs((30, 50, 20))
    frame.iloc[::10, 0] = np.nan
    seg = segment_customers(frame_table(frame))
    assert len(seg.assignments) == len(frame)
    assert seg.k == 3
    labels = seg.assignments["segment"].to_numpy()
    complete = frame["income"].notna().to_numpy()
    assert adjusted_rand_score(truth[complete], labels[complete]) == pytest.approx(1.0)
    # score alone still separates the low-score group from the two high-score ones
    low_score = truth[~complete] == 0
    assert len(set(labels[~complete][low_score])) == 1
    assert not set(labels[~complete][low_score]) & set(labels[~complete][~low_score])


def test_identical_customers_cannot_be_split(frame_table) -> None:
    frame = pd.DataFrame({"income": [50.0] * 8 + [60.0] * 8}, index=range(16))
    seg = segment_customers(frame_table(frame))
    assert seg.k == 2
    with pytest.raises(SegmentationError, match="too few different customers"):
        segment_customers(frame_table(frame), SegmentOptions(k=3))


def test_segmentation_survives_a_json_round_trip(frame_table) -> None:
    frame, _ = blobs((30, 50, 20))
    seg = segment_customers(frame_table(frame))
    summary = json.loads(json.dumps(seg.summary_dict()))
    segments = json.loads(json.dumps([s.to_dict() for s in seg.segments]))
    rebuilt = Segmentation.from_parts(summary, segments, seg.assignments.iloc[0:0])
    assert rebuilt.segments == seg.segments
    assert rebuilt.k_choice == seg.k_choice
    assert rebuilt.population == seg.population


def test_runner_up_reason_reads_nesting() -> None:
    coarse = np.array([0] * 10 + [1] * 10)
    fine = np.array([0] * 5 + [2] * 5 + [1] * 10)
    assert runner_up_reason(coarse, fine, 2, 3) == "splits_a_group"
    assert runner_up_reason(fine, coarse, 3, 2) == "merges_groups"
    other = np.array([0, 1] * 10)
    assert runner_up_reason(coarse, other, 2, 3) == "weaker_separation"


def test_large_table_is_searched_on_a_sample(frame_table) -> None:
    frame = sample_frame(30_000, seed=5).set_index("CustomerID")
    frame = frame.rename(
        columns={"Annual Income (k$)": "income", "Spending Score (1-100)": "score"}
    )[["income", "score"]].astype(float)
    seg = segment_customers(frame_table(frame))
    assert seg.k == 5
    assert seg.k_choice.sample_size == 3000
    assert len(seg.assignments) == 30_000


def test_mall_income_score_is_the_classic_five(frame_table, mall_frame) -> None:
    seg = segment_customers(frame_table(mall_frame), SegmentOptions(features=("income", "score")))
    assert seg.k == 5
    assert seg.k_choice.runner_up is not None and seg.k_choice.runner_up_reason
    points = mall_frame[["income", "score"]].to_numpy()
    classic = np.argmin(((points[:, None, :] - CLASSIC_CENTRES[None]) ** 2).sum(axis=2), axis=1)
    assert sorted(np.bincount(classic), reverse=True) == [81, 39, 35, 23, 22]
    labels = seg.assignments["segment"].to_numpy()
    assert adjusted_rand_score(classic, labels) >= 0.99
    assert [s.size for s in seg.segments] == [81, 39, 35, 23, 22]
    for segment in seg.segments:
        centre = (segment.centroid["income"], segment.centroid["score"])
        nearest = min(
            CLASSIC_NAMES, key=lambda c: (c[0] - centre[0]) ** 2 + (c[1] - centre[1]) ** 2
        )
        assert segment.persona.name == CLASSIC_NAMES[nearest]


def test_last_months_k_is_kept_on_a_barely_changed_mall_file(frame_table, mall_frame) -> None:
    three = SegmentOptions(features=("age", "income", "score"))
    before = segment_customers(frame_table(mall_frame), three)
    assert before.k == 6
    month = frame_table(mall_frame.sample(frac=0.9, random_state=3))  # 10% of members left
    fresh = segment_customers(month, three)
    assert fresh.k == 10  # on its own, the search flips to a k that separates a hair better

    kept = segment_customers(month, replace(three, prefer_k=before.k))

    choice = kept.k_choice
    assert kept.k == 6 and choice.auto and choice.kept_previous
    assert choice.runner_up == 10
    assert 0 < choice.scores[10] - choice.scores[6] <= KEEP_MARGIN
    renumbered, alignment = align_segments(kept, before)
    assert len(alignment.matches) == 6 and not alignment.new and not alignment.vanished
    names = {s.number: s.persona.name for s in before.segments}
    assert {s.number: s.persona.name for s in renumbered.segments} == names
    assert segment_customers(month, replace(three, prefer_k=6)).k_choice == choice


def test_a_clearly_split_group_beats_last_months_k(frame_table) -> None:
    frame, truth = blobs((40, 40, 40, 40))
    assert segment_customers(frame_table(frame)).k == 4
    split = frame.copy()
    half = frame.index[truth == 1][:20]
    split.loc[half] -= 30.0  # half of the (80, 80) group now sits at (50, 50)

    seg = segment_customers(frame_table(split), SegmentOptions(prefer_k=4))

    choice = seg.k_choice
    assert seg.k == 5 and not choice.kept_previous
    assert choice.scores[5] - choice.scores[4] > KEEP_MARGIN


def test_a_preferred_k_is_kept_only_within_the_margin() -> None:
    scores = {4: 0.5, 5: 0.5 + KEEP_MARGIN, 6: 0.5 + KEEP_MARGIN + 0.001}
    assert kept_k(scores, 6, 5) == 5
    assert kept_k(scores, 6, 4) is None
    assert kept_k(scores, 6, 6) is None  # the best itself: nothing to keep
    assert kept_k(scores, 6, 9) is None  # not tried (outside k_min..k_max)
    assert kept_k(scores, 6, None) is None


def test_options_and_k_choice_round_trip_the_preferred_k() -> None:
    options = SegmentOptions(features=("income", "score"), prefer_k=6)
    assert SegmentOptions.from_dict(json.loads(json.dumps(options.to_dict()))) == options
    choice = KChoice(k=6, auto=True, scores={6: 0.42, 7: 0.43}, runner_up=7, kept_previous=True)
    assert KChoice.from_dict(json.loads(json.dumps(choice.to_dict()))) == choice
    # Runs stored before the preference existed still load.
    older = {key: value for key, value in options.to_dict().items() if key != "prefer_k"}
    assert SegmentOptions.from_dict(older).prefer_k is None
    stored = {key: value for key, value in choice.to_dict().items() if key != "kept_previous"}
    assert not KChoice.from_dict(stored).kept_previous


def test_silhouettes_match_scikit_learn_for_every_labelling_at_once(monkeypatch) -> None:
    from sklearn.metrics import silhouette_score

    from segmentation import choose_k

    rng = np.random.default_rng(0)
    x = rng.normal(size=(120, 3))
    labelings = [rng.integers(0, k, size=120) for k in (2, 4, 7)]
    labelings[1][0] = 9  # a singleton scores 0, as in scikit-learn
    expected = [silhouette_score(x, labels) for labels in labelings]
    assert choose_k.silhouettes(x, labelings) == pytest.approx(expected)
    # Distances made a few rows at a time (a last block shorter than the others): the same.
    monkeypatch.setattr(choose_k, "DISTANCE_BLOCK", 50)
    assert choose_k.silhouettes(x, labelings) == pytest.approx(expected)
    assert choose_k.silhouettes(x, []) == []


def test_timings_are_reported_per_stage_when_asked(frame_table) -> None:
    frame, _ = blobs((30, 50, 20))
    times: dict[str, float] = {}
    segment_customers(frame_table(frame), timings=times)
    assert set(times) == {"features", "choose_k", "fit", "quality", "profiles", "personas"}
    assert all(v >= 0 for v in times.values())
