"""Month over month: segment identities across uploads, and who moved where."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from sklearn.cluster import KMeans

from segmentation.charts import render_transitions_png
from segmentation.ingest.load import load_customers
from segmentation.model import segment_customers
from segmentation.movement import (
    MATCH_THRESHOLD,
    Alignment,
    Transition,
    align_segments,
    compare_segmentations,
    moved_csv,
    segment_lineage,
)
from segmentation.movement_compare import SAME_PEOPLE_MIN, SAME_PEOPLE_SHARE, same_people
from segmentation.result import KChoice, Persona, Quality, Segment, Segmentation, SegmentOptions
from segmentation.sample import CLASSIC_CENTRES, sample_csv


def _mall(
    per_group: int = 40, seed: int = 3, spread: float = 5.0
) -> tuple[pd.DataFrame, pd.Series]:
    """Customers ``1..5*per_group`` in five tight groups, and each one's group name."""
    rng = np.random.default_rng(seed)
    rows, groups = [], []
    for name, (income, score) in CLASSIC_CENTRES.items():
        for _ in range(per_group):
            rows.append(
                (
                    income + rng.normal(0, spread),
                    score + rng.normal(0, spread),
                    30 + rng.normal(0, 8),
                )
            )
            groups.append(name)
    ids = pd.Index([str(i + 1) for i in range(len(rows))], name="customer_id")
    frame = pd.DataFrame(rows, columns=["income", "score", "age"], index=ids)
    return frame, pd.Series(groups, index=ids)


def _fit(
    frame: pd.DataFrame,
    k: int,
    features: tuple[str, ...] = ("income", "score"),
    *,
    order: str = "income",
) -> Segmentation:
    """A Segmentation fitted with k-means, numbered by ascending ``order`` ('income' or 'score')."""
    x = frame[list(features)].to_numpy(dtype=float)
    mean, scale = x.mean(axis=0), x.std(axis=0)
    z = (x - mean) / scale
    model = KMeans(n_clusters=k, n_init=4, random_state=0).fit(z)
    centres_z = model.cluster_centers_
    centres = centres_z * scale + mean
    key = features.index(order)
    rank = np.lexsort((centres[:, 1 - key], centres[:, key]))  # label -> by order
    number_of = {int(label): n + 1 for n, label in enumerate(rank)}
    labels = np.array([number_of[int(v)] for v in model.labels_])
    dist = np.linalg.norm(z[:, None, :] - centres_z[None, :, :], axis=2)
    nearest_two = np.argsort(dist, axis=1)[:, :2]
    segments = []
    for n, label in enumerate(rank, start=1):
        members = labels == n
        centroid = {f: float(c) for f, c in zip(features, centres[label], strict=True)}
        name = "Income {:.0f} score {:.0f}".format(
            *(centroid.get(f, 0) for f in ("income", "score"))
        )
        segments.append(
            Segment(
                number=n,
                size=int(members.sum()),
                share=float(members.mean()),
                persona=Persona(name, f"{name} ({members.sum()} customers)", "Say hello"),
                centroid=centroid,
            )
        )
    assignments = pd.DataFrame(
        {
            "segment": labels.astype(np.int64),
            "distance": dist[np.arange(len(z)), model.labels_],
            "runner_up": np.array([number_of[int(v)] for v in nearest_two[:, 1]], dtype=np.int64),
        },
        index=frame.index,
    )
    return Segmentation(
        options=SegmentOptions(k=k, features=features),
        features=features,
        scaler_mean=tuple(float(v) for v in mean),
        scaler_scale=tuple(float(v) for v in scale),
        centers=tuple(tuple(float(v) for v in centres_z[label]) for label in rank),
        k_choice=KChoice(k=k, auto=False),
        quality=Quality(0.5, 0.5, 100.0, 1.0),
        segments=tuple(segments),
        assignments=assignments,
    )


def _split_middle(frame: pd.DataFrame, groups: pd.Series, shift: float = 15) -> pd.DataFrame:
    """The middle group becomes two: half ``shift`` above its old centre, half below."""
    later = frame.copy()
    middle = groups[groups == "middle"].index
    later.loc[middle[:20], "score"] += shift
    later.loc[middle[20:], "score"] -= shift
    return later


def _number_of_group(seg: Segmentation, frame: pd.DataFrame, groups: pd.Series) -> dict[str, int]:
    """Group name -> the segment most of its members are in."""
    joined = (
        seg.assignments["segment"]
        .groupby(groups.reindex(seg.assignments.index))
        .agg(lambda s: int(s.mode().iloc[0]))
    )
    return {str(k): int(v) for k, v in joined.items()}


def _from_storage(seg: Segmentation) -> Segmentation:
    """``seg`` as the store gives it back: JSON round trip, no assignments."""
    summary = json.loads(json.dumps(seg.summary_dict()))
    segments = json.loads(json.dumps([s.to_dict() for s in seg.segments]))
    return Segmentation.from_parts(summary, segments, pd.DataFrame())


# --- Alignment ---------------------------------------------------------------------------------


def test_identical_reupload_matches_every_segment_and_nobody_moves() -> None:
    frame, _ = _mall()
    previous = _fit(frame, 5)
    current, alignment = align_segments(_fit(frame, 5, order="score"), previous)

    assert [m.previous for m in alignment.matches] == [1, 2, 3, 4, 5]
    assert all(m.current == m.previous for m in alignment.matches)
    assert alignment.new == () and alignment.vanished == ()
    assert alignment.similarity == pytest.approx(1.0)
    assert alignment.common_features == ("income", "score")
    pd.testing.assert_frame_equal(current.assignments, previous.assignments)
    assert [s.persona.name for s in current.segments] == [s.persona.name for s in previous.segments]
    assert np.allclose(current.centers, previous.centers)

    comparison = compare_segmentations(previous, current)
    assert comparison.ids_comparable and comparison.reason == ""
    assert comparison.moved == 0 and comparison.transitions == ()
    assert comparison.stayed == comparison.common_customers == len(frame)
    assert comparison.stayed_by_segment == comparison.previous_sizes


def test_renumbering_keeps_everything_that_names_a_segment_consistent() -> None:
    frame, groups = _mall()
    previous = _fit(frame, 5)
    fitted = _fit(frame, 5, order="score")
    current, _ = align_segments(fitted, previous)

    mapping = {
        old: new
        for old, new in zip(
            fitted.assignments["segment"], current.assignments["segment"], strict=True
        )
    }
    assert sorted(mapping) == sorted(set(mapping.values())) == [1, 2, 3, 4, 5]
    assert mapping != {n: n for n in mapping}  # the test really reorders
    for old in fitted.segments:
        new = current.segment(mapping[old.number])
        assert new.size == old.size and new.centroid == old.centroid
        assert new.persona.description == old.persona.description  # this month's figures
    expected_runner = fitted.assignments["runner_up"].map(mapping)
    assert (current.assignments["runner_up"] == expected_runner).all()
    assert current.assignments["segment"].dtype == fitted.assignments["segment"].dtype
    assert [s.number for s in current.segments] == [1, 2, 3, 4, 5]
    for position, segment in enumerate(current.segments):
        old_position = [s.number for s in fitted.segments].index(
            next(o for o, n in mapping.items() if n == segment.number)
        )
        assert current.centers[position] == fitted.centers[old_position]
    assert fitted.assignments["segment"].tolist() != current.assignments["segment"].tolist()
    assert _number_of_group(current, frame, groups) == _number_of_group(previous, frame, groups)


def test_matched_segments_keep_the_previous_name_when_the_data_drifts() -> None:
    frame, _ = _mall(seed=3)
    later, _ = _mall(seed=4)  # the same groups, other customers' noise
    previous = _fit(frame, 5)
    fitted = _fit(later, 5, order="score")
    current, alignment = align_segments(fitted, previous)

    assert len(alignment.matches) == 5
    assert 0.7 < alignment.similarity < 1.0
    assert all(0.0 < m.similarity <= 1.0 for m in alignment.matches)
    assert {s.persona.name for s in current.segments} == {s.persona.name for s in previous.segments}
    assert {s.persona.name for s in fitted.segments} != {s.persona.name for s in previous.segments}


def test_one_cluster_split_reports_one_new_segment() -> None:
    frame, groups = _mall()
    later = _split_middle(frame, groups)
    previous = _fit(frame, 5)
    current, alignment = align_segments(_fit(later, 6), previous)
    old_middle = _number_of_group(previous, frame, groups)["middle"]

    assert len(alignment.matches) == 5
    assert alignment.new == (6,) and alignment.vanished == ()
    middle = groups[groups == "middle"].index
    halves = sorted(current.assignments.loc[middle, "segment"].unique().tolist())
    assert halves == [old_middle, 6]
    assert current.segment(6).size == 20
    assert next(m.similarity for m in alignment.matches if m.previous == old_middle) < 0.5
    assert alignment.similarity < 0.9
    names = [s.persona.name for s in current.segments]
    assert len(set(names)) == len(names)
    comparison = compare_segmentations(previous, current)
    assert comparison.transitions == (Transition(old_middle, 6, 20),)


def test_a_split_close_to_the_old_centre_keeps_one_half() -> None:
    frame, groups = _mall(spread=3.0)
    later = frame.copy()
    middle = groups[groups == "middle"].index
    later.loc[middle[:30], "score"] += 2  # three quarters barely move
    later.loc[middle[30:], "score"] -= 20  # a quarter splits off
    previous = _fit(frame, 5)
    current, alignment = align_segments(_fit(later, 6), previous)

    assert len(alignment.matches) == 5
    assert alignment.new == (6,) and alignment.vanished == ()
    assert current.segment(6).size == 10
    assert current.segments[-1].number == 6
    assert alignment.similarity < 1.0
    names = [s.persona.name for s in current.segments]
    assert len(set(names)) == len(names)


def test_a_vanished_group_is_reported_and_its_number_not_reused() -> None:
    frame, groups = _mall()
    later = frame[groups != "careful"]
    previous = _fit(frame, 5)
    current, alignment = align_segments(_fit(later, 4), previous)

    careful = _number_of_group(previous, frame, groups)["careful"]
    assert alignment.vanished == (careful,)
    assert alignment.new == ()
    assert careful not in [s.number for s in current.segments]
    assert alignment.similarity == pytest.approx(0.9, abs=0.05)  # a fifth gone, half-weighted


def test_identities_carry_over_several_months() -> None:
    frame, groups = _mall()
    split = _split_middle(frame, groups)
    first = _fit(frame, 5)

    second, a2 = align_segments(_fit(split, 6), _from_storage(first))
    third, a3 = align_segments(_fit(split, 6, order="score"), _from_storage(second))
    fourth, a4 = align_segments(_fit(frame, 5, order="score"), _from_storage(third))

    assert a2.new == (6,)
    assert a3.new == () and a3.vanished == () and a3.similarity == pytest.approx(1.0)
    pd.testing.assert_frame_equal(third.assignments, second.assignments)
    assert [s.persona.name for s in third.segments] == [s.persona.name for s in second.segments]
    assert a4.new == () and a4.vanished == (6,)
    assert [s.number for s in fourth.segments] == [1, 2, 3, 4, 5]


def test_a_gap_left_by_an_older_run_is_filled() -> None:
    frame, groups = _mall()
    first = _fit(frame, 5)
    affluent = _number_of_group(first, frame, groups)["affluent"]
    second, _ = align_segments(_fit(frame[groups != "affluent"], 4), first)
    third, alignment = align_segments(_fit(frame, 5, order="score"), second)

    assert [s.number for s in second.segments] == sorted({1, 2, 3, 4, 5} - {affluent})
    assert alignment.new == (affluent,) and alignment.vanished == ()
    assert _number_of_group(third, frame, groups)["affluent"] == affluent
    assert [s.number for s in third.segments] == [1, 2, 3, 4, 5]
    assert set(third.assignments["runner_up"]) == {1, 2, 3, 4, 5}


def test_numbers_return_to_small_after_a_shrink_then_a_grow() -> None:
    frame, groups = _mall()
    first = _fit(frame, 5)
    number = _number_of_group(first, frame, groups)
    # Three segments: careful and young as before, and one group never seen.
    odd = frame.loc[groups[groups == "middle"].index].copy()
    odd["income"] += 100
    shrunk = pd.concat([frame[groups.isin(["careful", "young"])], odd])
    second, a2 = align_segments(_fit(shrunk, 3), first)
    third, a3 = align_segments(_fit(frame, 5, order="score"), second)

    assert a2.new == (6,)  # 1..5 all named a segment of the previous run
    assert [s.number for s in second.segments] == sorted([number["careful"], number["young"], 6])
    assert len(a3.matches) == 2 and a3.vanished == (6,)
    # Six vanished just now, so it is not reused; the gaps the first run left are.
    assert sorted(a3.new) == sorted(set(range(1, 6)) - {number["careful"], number["young"]})
    assert [s.number for s in third.segments] == [1, 2, 3, 4, 5]
    assert sorted(set(third.assignments["segment"])) == [1, 2, 3, 4, 5]
    names = [s.persona.name for s in third.segments]
    assert len(set(names)) == len(names)


def test_a_number_that_vanished_just_now_is_not_reused() -> None:
    frame, groups = _mall()
    previous = _fit(frame, 5)
    careful = _number_of_group(previous, frame, groups)["careful"]
    later = frame.copy()
    # Careful high earners turn into a group nowhere near any old one.
    later.loc[groups[groups == "careful"].index, "income"] += 60
    current, alignment = align_segments(_fit(later, 5), previous)

    assert alignment.vanished == (careful,)
    assert alignment.new == (6,)
    assert careful not in [s.number for s in current.segments]


def test_new_numbers_fill_gaps_in_the_current_runs_order() -> None:
    frame, _ = _mall()
    fitted = _fit(frame, 3)
    # Previous numbers 1, 3 and 7, as a chat that went from six segments to three has.
    previous = replace(
        fitted,
        segments=tuple(
            replace(s, number=n) for s, n in zip(fitted.segments, (1, 3, 7), strict=True)
        ),
    )
    # Five segments far from all of them and from each other.
    unlike = _fit(frame, 5)
    unlike = replace(
        unlike,
        segments=tuple(
            replace(s, centroid={"income": 500.0 + 100 * i, "score": 500.0})
            for i, s in enumerate(unlike.segments)
        ),
    )
    current, alignment = align_segments(unlike, previous)

    assert alignment.matches == () and alignment.vanished == (1, 3, 7)
    assert alignment.new == (2, 4, 5, 6, 8)
    assert [s.number for s in current.segments] == [2, 4, 5, 6, 8]


def _named(seg: Segmentation, prefix: str) -> Segmentation:
    """``seg`` with every persona name prefixed, as age in the features would name them."""
    return replace(
        seg,
        segments=tuple(
            replace(s, persona=replace(s.persona, name=f"{prefix} {s.persona.name}"))
            for s in seg.segments
        ),
    )


def test_a_change_of_features_keeps_the_numbers_and_refreshes_the_names() -> None:
    frame, groups = _mall()
    previous = _named(_fit(frame, 5, ("age", "income", "score")), "Older")
    fitted = _fit(frame, 5, order="score")
    current, alignment = align_segments(fitted, previous)

    assert len(alignment.matches) == 5 and alignment.new == () and alignment.vanished == ()
    assert not alignment.names_kept
    assert _number_of_group(current, frame, groups) == _number_of_group(previous, frame, groups)
    assert {s.persona.name for s in current.segments} == {s.persona.name for s in fitted.segments}
    assert not any(s.persona.name.startswith("Older") for s in current.segments)
    # Each fresh name stays with its own segment.
    number_now = dict(
        zip(fitted.assignments["segment"], current.assignments["segment"], strict=True)
    )
    for segment in fitted.segments:
        assert current.segment(number_now[segment.number]).persona.name == segment.persona.name
    restored = Alignment.from_dict(json.loads(json.dumps(alignment.to_dict())))
    assert restored == alignment


def test_the_same_features_keep_the_names() -> None:
    frame, _ = _mall()
    previous = _named(_fit(frame, 5), "Steady")
    current, alignment = align_segments(_fit(frame, 5, order="score"), previous)

    assert alignment.names_kept
    assert [s.persona.name for s in current.segments] == [s.persona.name for s in previous.segments]


def test_a_refreshed_name_never_repeats_another_segments_previous_name() -> None:
    frame, _ = _mall()
    previous = _fit(frame, 5, ("age", "income", "score"))
    fitted = _fit(frame, 5, order="score")
    current, _ = align_segments(fitted, previous)
    # Fitted afresh, segment 2 happens to get the name segment 1 had last time.
    first_name = previous.segment(1).persona.name
    two = current.segment(2)
    clashing = replace(
        current,
        segments=tuple(
            replace(s, persona=replace(s.persona, name=first_name)) if s.number == 2 else s
            for s in current.segments
        ),
    )
    again, _ = align_segments(clashing, previous)

    assert again.segment(2).persona.name == f"{first_name} (2)"
    assert two.size == again.segment(2).size
    names = [s.persona.name for s in again.segments]
    assert len(set(names)) == len(names)


def test_an_alignment_stored_without_names_kept_still_loads() -> None:
    frame, _ = _mall()
    _, alignment = align_segments(_fit(frame, 5, order="score"), _fit(frame, 5))
    stored = alignment.to_dict()
    del stored["names_kept"]
    assert Alignment.from_dict(stored) == alignment
    assert Alignment.from_dict(stored).names_kept


def test_new_segment_names_never_repeat_a_previous_name() -> None:
    frame, groups = _mall()
    previous = _fit(frame, 5)
    careful = previous.segment(_number_of_group(previous, frame, groups)["careful"])
    fitted = _fit(frame[groups != "careful"], 4)
    # A segment far from anything seen before that the engine happened to name like the
    # vanished one.
    first = fitted.segments[0]
    odd = replace(
        first,
        persona=replace(first.persona, name=careful.persona.name),
        centroid={"income": 200.0, "score": 200.0},
    )
    current, alignment = align_segments(
        replace(fitted, segments=(odd, *fitted.segments[1:])), previous
    )

    assert alignment.new == (6,) and len(alignment.vanished) == 2
    assert current.segment(6).persona.name == f"{careful.persona.name} (2)"


def test_previous_rebuilt_from_storage_aligns_the_same() -> None:
    frame, _ = _mall()
    previous = _fit(frame, 5)
    fitted = _fit(frame, 5, order="score")
    direct = align_segments(fitted, previous)
    stored = align_segments(fitted, _from_storage(previous))

    assert stored[1] == direct[1]
    pd.testing.assert_frame_equal(stored[0].assignments, direct[0].assignments)


def test_alignment_survives_a_json_round_trip() -> None:
    frame, groups = _mall()
    previous = _fit(frame, 5)
    _, alignment = align_segments(_fit(frame[groups != "careful"], 4), previous)
    assert Alignment.from_dict(json.loads(json.dumps(alignment.to_dict()))) == alignment


def test_alignment_uses_only_the_common_features() -> None:
    frame, _ = _mall()
    previous = _fit(frame, 5, ("age", "income", "score"))
    _current, alignment = align_segments(_fit(frame, 5, order="score"), previous)
    assert alignment.common_features == ("income", "score")
    assert len(alignment.matches) == 5


def test_no_common_features_matches_nothing() -> None:
    frame, _ = _mall()
    previous = _fit(frame, 3)
    other = frame.rename(columns={"income": "visits", "score": "tenure"})
    fitted = _fit(other, 2, ("visits", "tenure"), order="visits")
    current, alignment = align_segments(fitted, previous)
    assert not alignment.comparable
    assert alignment.matches == () and alignment.similarity == 0.0
    assert alignment.new == (4, 5) and alignment.vanished == (1, 2, 3)
    assert [s.number for s in current.segments] == [4, 5]


def test_alignment_to_an_empty_previous_run_numbers_from_one() -> None:
    frame, _ = _mall()
    fitted = _fit(frame, 5)
    empty = Segmentation.from_parts(fitted.summary_dict(), [], pd.DataFrame())
    current, alignment = align_segments(fitted, empty)
    assert alignment.new == (1, 2, 3, 4, 5)
    pd.testing.assert_frame_equal(current.assignments, fitted.assignments)


@pytest.mark.parametrize(("shift", "matched"), [(0.45, True), (0.55, False)])
def test_a_segment_is_the_same_within_half_a_deviation(shift: float, matched: bool) -> None:
    frame, _ = _mall()
    previous = _fit(frame, 5)
    first = previous.segments[0]
    # Move one centre by ``shift`` standard deviations on every feature (RMS = shift).
    moved = {
        f: v + shift * previous.scaler_scale[previous.features.index(f)]
        for f, v in first.centroid.items()
    }
    current = replace(previous, segments=(replace(first, centroid=moved), *previous.segments[1:]))

    _, alignment = align_segments(current, previous)

    assert MATCH_THRESHOLD == 0.5
    if matched:
        assert len(alignment.matches) == 5
        assert alignment.matches[0].similarity == pytest.approx(1 - shift / 0.5)
    else:
        assert alignment.new == (6,) and alignment.vanished == (1,)


# --- Comparison --------------------------------------------------------------------------------


def _move(frame: pd.DataFrame, ids: list[str], to: str, seed: int = 9) -> pd.DataFrame:
    """``frame`` with customers ``ids`` now behaving like group ``to``."""
    rng = np.random.default_rng(seed)
    out = frame.copy()
    income, score = CLASSIC_CENTRES[to]
    out.loc[ids, "income"] = income + rng.normal(0, 3, len(ids))
    out.loc[ids, "score"] = score + rng.normal(0, 3, len(ids))
    return out


def test_known_moves_are_reported_exactly() -> None:
    frame, groups = _mall()
    to_careful = list(groups[groups == "affluent"].index[:7])
    to_young = list(groups[groups == "frugal"].index[:3])
    later = _move(_move(frame, to_careful, "careful"), to_young, "young")
    previous = _fit(frame, 5)
    current, alignment = align_segments(_fit(later, 5, order="score"), previous)
    number = _number_of_group(previous, frame, groups)

    comparison = compare_segmentations(previous, current)

    assert len(alignment.matches) == 5
    assert comparison.transitions == (
        Transition(number["affluent"], number["careful"], 7),
        Transition(number["frugal"], number["young"], 3),
    )
    assert comparison.moved == 10 and comparison.stayed == len(frame) - 10
    assert sorted(comparison.moved_customers["customer_id"]) == sorted(to_careful + to_young)
    assert list(comparison.moved_customers.columns) == ["customer_id", "from_segment", "to_segment"]
    assert comparison.new_by_segment == {} and comparison.gone_by_segment == {}
    sizes = comparison.current_sizes
    assert sizes[number["careful"]] == comparison.previous_sizes[number["careful"]] + 7


def test_new_and_gone_customers_are_counted_by_segment() -> None:
    frame, groups = _mall()
    previous = _fit(frame, 5)
    gone = list(groups[groups == "young"].index[:4])
    later = frame.drop(index=gone)
    newcomers = frame.loc[groups[groups == "careful"].index[:6]].copy()
    newcomers.index = pd.Index([f"N{i}" for i in range(6)], name="customer_id")
    later = pd.concat([later, newcomers])
    current, _ = align_segments(_fit(later, 5), previous)
    number = _number_of_group(previous, frame, groups)

    comparison = compare_segmentations(previous, current)

    assert comparison.gone_by_segment == {number["young"]: 4}
    assert comparison.new_by_segment == {number["careful"]: 6}
    assert comparison.common_customers == len(frame) - 4
    assert comparison.new_customers == 6 and comparison.gone_customers == 4
    assert comparison.moved == 0


def test_generated_ids_compare_sizes_only() -> None:
    frame, _ = _mall()
    previous = _fit(frame, 5)
    current, _ = align_segments(_fit(frame, 5), previous)
    for flags in ({"previous_ids_generated": True}, {"current_ids_generated": True}):
        comparison = compare_segmentations(previous, current, **flags)
        assert not comparison.ids_comparable and comparison.reason == "ids_generated"
        assert comparison.previous_sizes == comparison.current_sizes
        assert comparison.common_customers == comparison.moved == comparison.stayed == 0
        assert comparison.transitions == () and comparison.moved_customers.empty
        assert moved_csv(comparison).decode("utf-8-sig").strip() == (
            "customer_id,from_segment,from_persona,to_segment,to_persona"
        )


def test_no_common_ids_says_so() -> None:
    frame, _ = _mall()
    previous = _fit(frame, 5)
    renamed = frame.set_axis(pd.Index([f"C{i}" for i in frame.index], name="customer_id"))
    current, _ = align_segments(_fit(renamed, 5), previous)
    comparison = compare_segmentations(previous, current)
    assert not comparison.ids_comparable and comparison.reason == "no_common_ids"
    assert comparison.current_sizes == comparison.previous_sizes

    stored = compare_segmentations(_from_storage(previous), current)
    assert stored.reason == "no_common_ids"


def test_different_columns_compare_on_the_common_features() -> None:
    frame, _groups = _mall()
    previous = _fit(frame, 5, ("age", "income", "score"))
    current, _alignment = align_segments(_fit(frame.drop(columns="age"), 5), previous)
    comparison = compare_segmentations(previous, current)
    assert comparison.common_features == ("income", "score")
    assert comparison.features_differ
    assert comparison.ids_comparable
    same = compare_segmentations(previous, previous)
    assert not same.features_differ and same.common_features == ("age", "income", "score")


def test_comparison_is_deterministic() -> None:
    frame, groups = _mall()
    later = _move(frame, list(groups[groups == "middle"].index[:5]), "affluent")
    previous = _fit(frame, 5)
    current, _ = align_segments(_fit(later, 5), previous)
    a = compare_segmentations(previous, current)
    b = compare_segmentations(previous, current)
    assert a.transitions == b.transitions
    assert moved_csv(a) == moved_csv(b)
    assert render_transitions_png(a) == render_transitions_png(b)


# --- Export and plot ---------------------------------------------------------------------------


def test_moved_csv_names_both_segments_and_is_formula_safe() -> None:
    frame, groups = _mall()
    hostile = {"1": "=HYPERLINK(1)", "2": "-5", "3": "@SUM(A1)", "4": "+1+1", "5": "\tx"}
    frame = frame.rename(index=hostile)
    groups = groups.rename(index=hostile)
    movers = list(hostile.values())
    later = _move(frame, movers, "careful")
    previous = _fit(frame, 5)
    current, _ = align_segments(_fit(later, 5), previous)

    comparison = compare_segmentations(previous, current)
    data = moved_csv(comparison)
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))

    assert data.startswith(b"\xef\xbb\xbf")  # Excel reads the persona names right

    assert rows[0] == ["customer_id", "from_segment", "from_persona", "to_segment", "to_persona"]
    assert sorted(r[0] for r in rows[1:]) == sorted(
        ["'=HYPERLINK(1)", "'-5", "'@SUM(A1)", "'+1+1", "'\tx"]
    )
    number = _number_of_group(previous, frame, groups)
    for row in rows[1:]:
        assert int(row[1]) == number["middle"]
        assert row[2] == comparison.previous_names[number["middle"]]
        assert int(row[3]) == number["careful"]
        assert row[4] == comparison.current_names[number["careful"]]


def _png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's header."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


@pytest.mark.parametrize("case", ["moves", "split_new_and_gone", "sizes_only"])
def test_transition_plot_fits_a_phone(case: str) -> None:
    frame, groups = _mall()
    later = _move(frame, list(groups[groups == "middle"].index[:12]), "affluent")
    k = 5
    if case == "split_new_and_gone":
        later = _split_middle(later, groups)
        later = later.drop(index=groups[groups == "young"].index[:5])
        later = later.rename(index={i: f"N{i}" for i in groups[groups == "frugal"].index[:5]})
        k = 6
    previous = _fit(frame, 5)
    current, _ = align_segments(_fit(later, k), previous)
    comparison = compare_segmentations(
        previous, current, current_ids_generated=case == "sizes_only"
    )
    if case == "split_new_and_gone":
        assert comparison.new_customers == 5 and comparison.gone_customers == 10

    png = render_transitions_png(comparison)

    width, height = _png_size(png)
    assert width <= 1600 and width + height <= 10000
    assert len(png) <= 500_000


# --- Through ingestion and the real engine ----------------------------------------------------

#: Fixed k on income and score: the groups of ``_mall`` are the answer, whatever auto-k prefers.
FIVE = SegmentOptions(k=5, features=("income", "score"))


def _upload(frame: pd.DataFrame, *, ids: bool = True) -> bytes:
    """``frame`` as the mall file a manager would export (classic headers, whole numbers)."""
    out = frame.rename(
        columns={"income": "Annual Income (k$)", "score": "Spending Score (1-100)", "age": "Age"}
    )
    return out.round(0).astype(int).to_csv(index=ids, index_label="CustomerID").encode()


def _segment(data: bytes, options: SegmentOptions = FIVE) -> Segmentation:
    """Read and segment an upload the way the bot does."""
    return segment_customers(load_customers(data, "customers.csv"), options)


def test_real_identical_reupload_matches_everything() -> None:
    data = sample_csv(200)
    previous = _segment(data, SegmentOptions())
    current, alignment = align_segments(_segment(data, SegmentOptions()), _from_storage(previous))

    assert len(alignment.matches) == previous.k
    assert alignment.new == () and alignment.vanished == ()
    assert alignment.similarity == pytest.approx(1.0)
    comparison = compare_segmentations(previous, current)
    assert comparison.moved == 0 and comparison.stayed == 200
    assert comparison.current_names == comparison.previous_names


def test_real_known_moves_are_reported_exactly() -> None:
    frame, groups = _mall()
    to_careful = list(groups[groups == "affluent"].index[:7])
    to_young = list(groups[groups == "frugal"].index[:3])
    later = _move(_move(frame, to_careful, "careful"), to_young, "young")
    previous = _segment(_upload(frame))
    current, alignment = align_segments(_segment(_upload(later)), _from_storage(previous))
    number = _number_of_group(previous, frame, groups)

    comparison = compare_segmentations(previous, current)

    assert len(alignment.matches) == 5
    assert comparison.transitions == (
        Transition(number["affluent"], number["careful"], 7),
        Transition(number["frugal"], number["young"], 3),
    )
    assert sorted(comparison.moved_customers["customer_id"]) == sorted(to_careful + to_young)
    rows = list(csv.reader(io.StringIO(moved_csv(comparison).decode("utf-8-sig"))))
    assert len(rows) == 11
    assert {r[4] for r in rows[1:]} == {
        comparison.current_names[number["careful"]],
        comparison.current_names[number["young"]],
    }


def test_real_split_reports_one_new_segment() -> None:
    frame, groups = _mall()
    later = _split_middle(frame, groups)
    previous = _segment(_upload(frame))
    six = SegmentOptions(k=6, features=("income", "score"))
    current, alignment = align_segments(_segment(_upload(later), six), _from_storage(previous))

    assert len(alignment.matches) == 5
    assert alignment.new == (6,) and alignment.vanished == ()
    names = [s.persona.name for s in current.segments]
    assert len(set(names)) == 6
    comparison = compare_segmentations(previous, current)
    old_middle = _number_of_group(previous, frame, groups)["middle"]
    assert comparison.transitions == (Transition(old_middle, 6, 20),)


def test_real_upload_without_ids_compares_sizes_only() -> None:
    frame, _ = _mall()
    previous = _segment(_upload(frame))
    table = load_customers(_upload(frame, ids=False), "no-ids.csv")
    assert table.receipt.ids_generated
    current, alignment = align_segments(segment_customers(table, FIVE), previous)

    comparison = compare_segmentations(
        previous, current, current_ids_generated=table.receipt.ids_generated
    )

    assert len(alignment.matches) == 5
    assert not comparison.ids_comparable and comparison.reason == "ids_generated"
    assert comparison.current_sizes == comparison.previous_sizes
    assert comparison.transitions == () and comparison.moved == 0


def test_real_uploads_with_different_columns_use_the_common_features() -> None:
    frame, _ = _mall()
    previous = _segment(_upload(frame), SegmentOptions(k=5, features=("age", "income", "score")))
    assert previous.features == ("age", "income", "score")
    current, alignment = align_segments(
        _segment(_upload(frame.drop(columns="age")), SegmentOptions(k=5)), previous
    )

    comparison = compare_segmentations(previous, current)

    assert alignment.common_features == ("income", "score")
    assert len(alignment.matches) == 5
    assert comparison.features_differ and comparison.common_features == ("income", "score")
    assert comparison.ids_comparable and comparison.common_customers == len(frame)
    # Age blurred last month's groups a little; the moves are those customers coming home.
    assert comparison.moved == sum(t.count for t in comparison.transitions) < len(frame) // 4


def _blobs_csv(groups: list[tuple[list[int], float, float]], seed: int = 4) -> bytes:
    """Members in tight groups: (ids, income centre, score centre) per group."""
    rng = np.random.default_rng(seed)
    rows = ["CustomerID,Annual Income (k$),Spending Score (1-100)"]
    for ids, income, score in groups:
        for customer in ids:
            rows.append(
                f"{customer},{income + rng.normal(0, 2):.1f},{score + rng.normal(0, 2):.1f}"
            )
    return ("\n".join(rows) + "\n").encode()


def test_a_number_reused_by_another_segment_is_not_counted_as_stayed() -> None:
    big, middle, small = list(range(1, 81)), list(range(81, 141)), list(range(141, 181))
    january = _blobs_csv([(big, 30, 30), (middle, 90, 80), (small, 120, 15)])
    # Months later the small group's customers behave like nobody before, far from every
    # January segment; by size they are again segment 3, a number that means another group.
    later = _blobs_csv([(big, 30, 30), (middle, 90, 80), (small, 20, 95)], seed=5)
    options = SegmentOptions(k=3)
    before = segment_customers(load_customers(january, "jan.csv"), options)
    after = segment_customers(load_customers(later, "later.csv"), options)
    assert before.assignments["segment"].loc["141"] == after.assignments["segment"].loc["141"]

    lineage = segment_lineage(before, after)
    result = compare_segmentations(before, after, lineage=lineage)

    assert result.moved == len(small)
    assert result.stayed == len(big) + len(middle)
    moved_ids = set(result.moved_customers["customer_id"])
    assert moved_ids == {str(i) for i in small}


def two_months(first: pd.DataFrame, second: pd.DataFrame, options: SegmentOptions):
    """Two months' member files read, segmented, aligned and compared with their values."""
    before_table = load_customers(first.to_csv(index=False).encode(), "october.csv")
    after_table = load_customers(second.to_csv(index=False).encode(), "november.csv")
    previous = segment_customers(before_table, options)
    current, _ = align_segments(segment_customers(after_table, options), previous)
    result = compare_segmentations(
        previous,
        current,
        lineage=segment_lineage(previous, current),
        previous_values=before_table.customers,
        current_values=after_table.customers,
    )
    return before_table, after_table, previous, current, result


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_customers_whose_numbers_did_not_change_never_move(seed: int) -> None:
    from segmentation import moved_csv
    from segmentation.sample import sample_frame

    three = SegmentOptions(k=6, features=("age", "income", "score"))
    first = sample_frame(400, seed=7)
    second = first.copy()
    rng = np.random.default_rng(seed)
    noisy = rng.choice(len(second), 120, replace=False)  # a third of customers change a little
    second.loc[noisy, "Age"] += rng.integers(-3, 4, len(noisy))
    second.loc[noisy, "Spending Score (1-100)"] = np.clip(
        second.loc[noisy, "Spending Score (1-100)"] + rng.integers(-8, 9, len(noisy)), 1, 99
    )
    score = second["Spending Score (1-100)"]
    doubled = [i for i in range(len(second)) if i not in set(noisy) and 20 <= score[i] <= 40][:12]
    second.loc[doubled, "Spending Score (1-100)"] = np.clip(
        second.loc[doubled, "Spending Score (1-100)"] * 2, 1, 99
    )
    before_table, after_table, _, _, result = two_months(first, second, three)
    assert result.by_values
    ids = before_table.customers.index.astype(str)
    changed = set(ids[noisy]) | set(ids[doubled])
    moved = set(result.moved_customers["customer_id"])
    assert moved <= changed  # identical rows never move, whatever the refit did
    assert moved & set(ids[doubled])  # a doubled spending score crosses into another segment
    frame = result.moved_customers.set_index("customer_id")
    for customer in moved & set(ids[doubled]):
        assert frame.loc[customer, "score now"] == after_table.customers.loc[customer, "score"]
        assert frame.loc[customer, "score before"] == before_table.customers.loc[customer, "score"]
    header = moved_csv(result).decode("utf-8-sig").splitlines()[0]
    assert header.endswith("age before,age now,income before,income now,score before,score now")


def test_a_store_wide_drop_is_said_as_such() -> None:
    from bot.text import compare as compare_text
    from segmentation.sample import sample_frame

    two = SegmentOptions(k=5, features=("income", "score"))
    first = sample_frame(400, seed=7)
    second = first.copy()
    second["Spending Score (1-100)"] = np.clip(second["Spending Score (1-100)"] - 15, 1, 99)
    _, _, previous, current, result = two_months(first, second, two)
    assert set(result.store_wide) == {"score"}
    assert -17 <= result.store_wide["score"] <= -12
    text = "\n".join(compare_text.comparison(result, "#1 october.csv", "#2 november.csv"))
    assert "Across the segments, spending score fell by 1" in text
    assert "the whole store changed, not a few customers" in text
    quiet = compare_segmentations(previous, previous)
    assert quiet.store_wide == {}
    # judged against last month's customers, the middle now spends little: it is renamed, and
    # the answer says so; segments whose name still fits keep it
    renamed = {
        s.number: s.persona.name
        for s in current.segments
        if s.persona.name != previous.segment(s.number).persona.name
    }
    assert previous.segment(1).persona.name == "Mainstream middle"
    assert set(renamed) == {1}
    assert "Mainstream" not in renamed[1]
    assert f"1. <b>Mainstream middle</b> is now <b>{renamed[1]}</b>" in text
    assert "Affluent big spenders" in {s.persona.name for s in current.segments}


def test_a_small_drift_keeps_every_name() -> None:
    from segmentation.sample import sample_frame

    two = SegmentOptions(k=5, features=("income", "score"))
    first = sample_frame(400, seed=7)
    second = first.copy()
    second["Spending Score (1-100)"] = np.clip(second["Spending Score (1-100)"] - 5, 1, 99)
    result = two_months(first, second, two)[-1]
    assert result.current_names == result.previous_names


def _members(ids: np.ndarray, seed: int) -> pd.DataFrame:
    """Customers ``ids`` with age, income and score drawn at random."""
    rng = np.random.default_rng(seed)
    n = len(ids)
    return pd.DataFrame(
        {
            "age": rng.integers(18, 70, n).astype(float),
            "income": rng.uniform(15, 140, n).round(),
            "score": rng.integers(1, 100, n).astype(float),
        },
        index=pd.Index([str(i) for i in ids], name="customer_id"),
    )


def _next_month(frame: pd.DataFrame, seed: int) -> pd.DataFrame:
    """The same customers a month later: a year older at most, income and score drifted."""
    rng = np.random.default_rng(seed)
    n = len(frame)
    return frame.assign(
        age=frame["age"] + rng.integers(0, 2, n),
        income=(frame["income"] * rng.normal(1.03, 0.05, n)).round(),
        score=(frame["score"] + rng.normal(0, 12, n)).clip(1, 99).round(),
    )


def test_ids_shared_by_chance_are_not_taken_for_the_same_people() -> None:
    # Two unrelated member lists whose ids are small numbers: about 50 of the first file's 200
    # ids are among the second's, with values that have nothing to do with each other.
    first = _members(np.arange(1, 201), seed=1)
    other = _members(np.random.default_rng(2).choice(np.arange(1, 1501), 400, replace=False), 2)
    common = first.index.intersection(other.index)
    assert 10 <= len(common) < 100
    assert not same_people(first, other)

    previous = _fit(first, 3)
    current, _ = align_segments(_fit(other, 3), previous)
    comparison = compare_segmentations(
        previous, current, previous_values=first, current_values=other
    )
    assert not comparison.ids_comparable and comparison.reason == "not_same_people"
    assert comparison.common_customers == comparison.moved == 0
    assert comparison.transitions == () and comparison.moved_customers.empty
    # Without the values nothing tells them apart: followed by id, as before.
    assert compare_segmentations(previous, current).ids_comparable


def test_the_same_customers_are_followed_even_when_few_of_them_came_back() -> None:
    first = _members(np.arange(1, 401), seed=4)
    back = first.iloc[::4]  # 100 of 400 came back, with 300 new customers
    new = _members(np.arange(1001, 1301), seed=5)
    later = pd.concat([_next_month(back, seed=6), new])
    assert len(back) < SAME_PEOPLE_SHARE * min(len(first), len(later))
    assert same_people(first, later)

    previous = _fit(first, 3)
    current, _ = align_segments(_fit(later, 3), previous)
    comparison = compare_segmentations(
        previous, current, previous_values=first, current_values=later
    )
    assert comparison.ids_comparable and comparison.common_customers == 100


def test_shared_ids_are_the_same_people_unless_values_can_say_otherwise() -> None:
    first = _members(np.arange(1, 201), seed=7)
    # Most of the list again, whatever the values: a month's export of the same members.
    assert same_people(first, _members(np.arange(1, 181), seed=8))
    other = np.random.default_rng(9).choice(np.arange(1, 1501), 400, replace=False)
    unrelated = _members(other, seed=10)
    # No number column in common, or too few customers in common to tell: nothing to go on.
    renamed = unrelated.rename(columns={"age": "a", "income": "i", "score": "s"})
    assert same_people(first, renamed)
    few = unrelated[~unrelated.index.isin(first.index[6:])]
    assert len(few.index.intersection(first.index)) < SAME_PEOPLE_MIN
    assert same_people(first, few)
    # Text columns are not compared as numbers.
    texts = first.astype(str)
    assert same_people(texts, unrelated.astype(str))
