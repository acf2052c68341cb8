"""Month over month: stable segment identities between runs, and who moved where.

Two steps, both pure computation:

* :func:`align_segments` matches the segments of a new run to those of the chat's previous run
  and renumbers the new run so that a segment that is still there keeps its number (and its
  persona name while the features stay the same). It is called once, right after segmenting
  an upload and before anything else (targets, plots, exports, storage) reads the segment
  numbers.
* :func:`compare_segmentations` then compares two runs customer by customer (by id): sizes
  then and now, the transition table, new and gone customers.

The comparison lives in :mod:`segmentation.movement_compare` and the heatmap in
:mod:`segmentation.charts.movement`; everything is importable from here.

Matching rule: each segment's centre is taken in original units on the features both runs
share, and every feature is divided by one common scale, the pooled standard deviation of the
two runs (``sqrt((s_prev² + s_cur²) / 2)``), so that neither month's spread wins. The distance
between two centres is the root mean square over features of those standardised differences:
"how many standard deviations apart, per feature on average". Segments are paired by optimal
assignment (Hungarian method, minimal total distance); a pair further apart than
:data:`MATCH_THRESHOLD` (half a standard deviation per feature) is not the same segment, so the
new one is reported as new and the old one as vanished. A match's similarity falls linearly from
1 (same centre) to 0 (at the threshold); the structure's similarity averages the match
similarities weighted by segment share, once over the current run and once over the previous
one (a new or vanished segment counts 0), so a split or a lost segment lowers it by its size.
Purchase logs are matched by RFM class instead ("Champions" to "Champions", the nearest first
when a class repeats): every customer's figures grow with a longer log, so centres move further
than the threshold while the classes stay.

Numbering rule: a matched segment keeps the previous number. A new segment takes the smallest
positive number used neither by a matched segment nor by any segment of the previous run, in the
current run's own order: a number that just vanished never names a different segment in the same
comparison, while gaps left by older runs are filled, so numbers stay small instead of climbing
past every number ever used (six segments, then three, then six again read 1..6 once more).

Naming rule: when both runs were segmented on the same set of features, a matched segment keeps
the previous persona name, unless its centre no longer fits it: when the centre moved by
:data:`DRIFT_SD` of a feature's spread or more (last month's interquartile range / 1.349) and
the name it would be given against last month's customers differs, it takes that name
(:attr:`Alignment.renamed` lists each ``(number, old name, new name)``). Judged against last
month, a store-wide fall in spending score renames "Mainstream middle" at score 35 to a
low-spending name instead of keeping a name that is relative to a store that moved. When the
set of features changed, the old name may speak of a column no longer clustered on ("Older …"
without age), so every segment takes the name just computed for it and only its number carries
over (:attr:`Alignment.names_kept` says whether every matched
name stayed). Either way a name that would repeat another segment's name in this run or in the
previous one is suffixed (``"… (2)"``): two numbers under one name would read as one segment.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd
from scipy.optimize import linear_sum_assignment

from segmentation.movement_compare import (
    DRIFT_SD,
    Comparison,
    Transition,
    compare_segmentations,
    moved_csv,
)
from segmentation.personas import RFM_FEATURES, make_personas, rfm_class
from segmentation.result import Segment, Segmentation

logger = logging.getLogger(__name__)

__all__ = [
    "MATCH_THRESHOLD",
    "Alignment",
    "Comparison",
    "SegmentMatch",
    "Transition",
    "align_segments",
    "compare_segmentations",
    "moved_csv",
    "segment_lineage",
]

#: Largest distance between two segment centres (root mean square over the common features, in
#: pooled standard deviations) at which they still count as the same segment. On this scale the
#: five classic mall groups sit 1.1 or more apart, so a segment can never inherit a neighbour's
#: identity, while resampling the same customers moves a centre by well under 0.2. When a group
#: splits, the half nearer the old centre keeps the identity (if within the threshold) and the
#: other half is new: matching is one to one.
MATCH_THRESHOLD: float = 0.5


@dataclass(frozen=True)
class SegmentMatch:
    """A current segment recognised as a previous one.

    Attributes:
        current: Its number in the (renumbered) current run.
        previous: Its number in the previous run (equal to ``current`` after renumbering).
        similarity: 1 when the centres coincide, falling linearly to 0 at the threshold.
    """

    current: int
    previous: int
    similarity: float


@dataclass(frozen=True)
class Alignment:
    """How a run's segments relate to the previous run's.

    Attributes:
        matches: Matched segments, in current number order.
        new: Current numbers with no match (the smallest numbers the previous run did not use).
        vanished: Previous numbers with no match.
        similarity: 0..1, how similar the whole structure is to last time (share-weighted match
            similarity, averaged over both runs; 0 when no features are shared).
        common_features: Features both runs were segmented on, in the current run's order.
        names_kept: True when every matched segment kept its previous persona name; False when
            the features changed or a segment drifted, and some matched segment was renamed.
        renamed: ``(number, old name, new name)`` for matched segments renamed because their
            centre no longer fits the old name (same features only; see the naming rule).
    """

    matches: tuple[SegmentMatch, ...]
    new: tuple[int, ...]
    vanished: tuple[int, ...]
    similarity: float
    common_features: tuple[str, ...]
    names_kept: bool = True
    renamed: tuple[tuple[int, str, str], ...] = ()

    @property
    def comparable(self) -> bool:
        """True when the runs share at least one feature (otherwise nothing could match)."""
        return bool(self.common_features)

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-safe dict."""
        return {
            "matches": [
                {"current": m.current, "previous": m.previous, "similarity": m.similarity}
                for m in self.matches
            ],
            "new": list(self.new),
            "vanished": list(self.vanished),
            "similarity": self.similarity,
            "common_features": list(self.common_features),
            "names_kept": self.names_kept,
            "renamed": [list(r) for r in self.renamed],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Alignment:
        """Rebuild from :meth:`to_dict` output."""
        return cls(
            matches=tuple(
                SegmentMatch(int(m["current"]), int(m["previous"]), float(m["similarity"]))
                for m in data.get("matches", ())
            ),
            new=tuple(int(n) for n in data.get("new", ())),
            vanished=tuple(int(n) for n in data.get("vanished", ())),
            similarity=float(data.get("similarity", 0.0)),
            common_features=tuple(str(f) for f in data.get("common_features", ())),
            # Alignments stored before names could change kept them.
            names_kept=bool(data.get("names_kept", True)),
            renamed=tuple(
                (int(number), str(old), str(new)) for number, old, new in data.get("renamed", ())
            ),
        )


# --- Alignment ---------------------------------------------------------------------------------


def align_segments(current: Segmentation, previous: Segmentation) -> tuple[Segmentation, Alignment]:
    """Match ``current``'s segments to ``previous``'s and renumber ``current`` to suit.

    Matched segments take the previous number, and the previous persona name when both runs
    share the same set of features (the name is the segment's identity a manager recognises; the
    description and action stay ``current``'s, because they quote this month's figures). When
    the features changed, every segment keeps the name just computed for it, since the old one
    may speak of a column no longer clustered on. Unmatched segments are new: in ``current``'s
    own order, each takes the smallest positive number the previous run did not use (a number
    that vanished just now named another segment last time; gaps left by older runs are
    filled). A name is suffixed (``"… (2)"``) if it would repeat a name used in either run by
    another segment. Segment numbers may have gaps; read them from ``Segment.number``, never
    from positions.

    Args:
        current: The run just fitted, numbered canonically.
        previous: The chat's previous run; its assignments may be empty (rebuilt from storage).

    Returns:
        ``current`` renumbered (segments, centers, assignments' ``segment`` and ``runner_up``
        all consistent, segments and centers in number order), and the alignment.
    """
    common = tuple(f for f in current.features if f in previous.features)
    cur_numbers = [s.number for s in current.segments]
    prev_numbers = [s.number for s in previous.segments]
    pairs = _matched_pairs(current, previous, common)
    mapping = {cur: prev for cur, prev, _ in pairs}
    # Matched numbers are previous numbers, so "used by the previous run" covers both.
    used = set(prev_numbers)
    new_numbers: list[int] = []
    for number in cur_numbers:
        if number not in mapping:
            free = _smallest_free(used)
            used.add(free)
            mapping[number] = free
            new_numbers.append(free)

    refresh_names = set(current.features) != set(previous.features)
    drifted = {} if refresh_names else _drifted_names(current, previous, pairs)
    renumbered = _renumber(
        current, previous, mapping, {cur for cur, _, _ in pairs}, refresh_names, drifted
    )
    previous_names = {s.number: s.persona.name for s in previous.segments}
    names_kept = all(
        renumbered.segment(prev).persona.name == previous_names[prev] for _, prev, _ in pairs
    )
    sim_by_current = {mapping[cur]: sim for cur, _, sim in pairs}
    sim_by_previous = {prev: sim for _, prev, sim in pairs}
    matches = tuple(
        SegmentMatch(current=n, previous=n, similarity=round(sim_by_current[n], 4))
        for n in sorted(sim_by_current)
    )
    vanished = tuple(n for n in sorted(prev_numbers) if n not in sim_by_previous)
    similarity = 0.5 * _weighted_similarity(renumbered.segments, sim_by_current) + (
        0.5 * _weighted_similarity(previous.segments, sim_by_previous)
    )
    alignment = Alignment(
        matches=matches,
        new=tuple(new_numbers),
        vanished=vanished,
        similarity=round(similarity, 4) if common else 0.0,
        common_features=common,
        names_kept=names_kept,
        renamed=tuple(
            (prev, previous_names[prev], renumbered.segment(prev).persona.name)
            for _, prev, _ in sorted(pairs, key=lambda pair: pair[1])
            if renumbered.segment(prev).persona.name != previous_names[prev]
        )
        if not refresh_names
        else (),
    )
    logger.info(
        "aligned %d segments to %d previous: %d matched, %d new, %d vanished, similarity %.3f",
        len(cur_numbers),
        len(prev_numbers),
        len(matches),
        len(alignment.new),
        len(vanished),
        alignment.similarity,
    )
    return renumbered, alignment


def segment_lineage(previous: Segmentation, current: Segmentation) -> dict[int, int]:
    """Which of ``previous``'s segments each of ``current``'s continues, by their centres.

    For two runs that were not aligned to each other (uploads 1 and 3, say), a shared number
    proves nothing: a number that vanished can be given to a new segment later. The same
    matching as :func:`align_segments` decides instead.

    Returns:
        Current segment number -> the previous number it continues, for matched segments only.
    """
    common = tuple(f for f in current.features if f in previous.features)
    return {cur: prev for cur, prev, _ in _matched_pairs(current, previous, common)}


def _matched_pairs(
    current: Segmentation, previous: Segmentation, common: tuple[str, ...]
) -> list[tuple[int, int, float]]:
    """(current number, previous number, similarity) for segments alike enough to match."""
    pairs: list[tuple[int, int, float]] = []
    if not (common and current.segments and previous.segments):
        return pairs
    cur_numbers = [s.number for s in current.segments]
    prev_numbers = [s.number for s in previous.segments]
    scale = _pooled_scale(current, previous, common)
    cur_centres = _centroids(current, common) / scale
    prev_centres = _centroids(previous, common) / scale
    diff = cur_centres[:, None, :] - prev_centres[None, :, :]
    distance = np.sqrt(np.mean(diff**2, axis=2))
    if set(RFM_FEATURES) <= set(common):
        return _same_classes(current, previous, distance)
    # Gating at the threshold makes "pair them" never cheaper than "leave both unmatched",
    # so the optimum only pairs segments that are genuinely alike.
    rows, cols = linear_sum_assignment(np.minimum(distance, MATCH_THRESHOLD))
    for i, j in zip(rows, cols, strict=True):
        d = float(distance[i, j])
        if d <= MATCH_THRESHOLD:
            pairs.append((cur_numbers[i], prev_numbers[j], max(0.0, 1.0 - d / MATCH_THRESHOLD)))
    return pairs


def _same_classes(
    current: Segmentation, previous: Segmentation, distance: np.ndarray
) -> list[tuple[int, int, float]]:
    """Pairs of purchase-log segments: same RFM class, the nearest first when a class repeats.

    Every customer's recency, orders and spend grow with a longer log, so centres move further
    than :data:`MATCH_THRESHOLD` while "Champions" are still the champions.
    """
    now = [rfm_class(s, current.population) for s in current.segments]
    then = [rfm_class(s, previous.population) for s in previous.segments]
    apart = np.array([[a != b for b in then] for a in now], dtype=bool)
    far = float(distance.max(initial=0.0)) + 1.0
    rows, cols = linear_sum_assignment(np.where(apart, far * 10, distance))
    return [
        (
            current.segments[i].number,
            previous.segments[j].number,
            max(0.0, 1.0 - float(distance[i, j]) / MATCH_THRESHOLD),
        )
        for i, j in zip(rows, cols, strict=True)
        if not apart[i, j]
    ]


def _pooled_scale(
    current: Segmentation, previous: Segmentation, features: tuple[str, ...]
) -> np.ndarray:
    """Per feature, the pooled standard deviation of the two runs (1 where it is zero)."""
    scales = []
    for name in features:
        a = _scale_of(current, name)
        b = _scale_of(previous, name)
        pooled = math.sqrt((a * a + b * b) / 2)
        scales.append(pooled if pooled > 0 and math.isfinite(pooled) else 1.0)
    return np.asarray(scales, dtype=float)


def _scale_of(seg: Segmentation, feature: str) -> float:
    """The scale ``seg`` standardised ``feature`` with."""
    return float(seg.scaler_scale[seg.features.index(feature)])


def _centroids(seg: Segmentation, features: tuple[str, ...]) -> np.ndarray:
    """Segment centres in original units on ``features``, one row per segment in order."""
    rows = []
    for position, segment in enumerate(seg.segments):
        row = []
        for name in features:
            value = segment.centroid.get(name)
            if value is None:  # fall back to the standardised centre
                i = seg.features.index(name)
                value = seg.to_original(np.asarray(seg.centers[position]))[i]
            row.append(float(value))
        rows.append(row)
    return np.asarray(rows, dtype=float).reshape(len(rows), len(features))


def _weighted_similarity(segments: tuple[Segment, ...], similarity: dict[int, float]) -> float:
    """Share-weighted mean of per-segment similarity (unmatched segments count 0)."""
    total = sum(s.size for s in segments)
    if total <= 0:
        return 0.0
    return sum(s.size * similarity.get(s.number, 0.0) for s in segments) / total


def _smallest_free(used: set[int]) -> int:
    """The smallest positive number not in ``used``."""
    number = 1
    while number in used:
        number += 1
    return number


def _renumber(
    current: Segmentation,
    previous: Segmentation,
    mapping: dict[int, int],
    matched: set[int],
    refresh_names: bool,
    drifted: dict[int, str] | None = None,
) -> Segmentation:
    """``current`` with numbers mapped, names settled (see :func:`align_segments`), order fixed.

    ``drifted`` maps current numbers of matched segments that no longer fit their old name to
    the name they take instead.
    """
    drifted = drifted or {}
    previous_names = {s.number: s.persona.name for s in previous.segments}
    names: dict[int, str] = {}  # current number -> name
    # Matched segments first, so that they keep their own name and a new segment yields.
    ordered = sorted(current.segments, key=lambda s: (s.number not in matched, s.number in drifted))
    for segment in ordered:
        new_number = mapping[segment.number]
        if segment.number in matched and not refresh_names and segment.number not in drifted:
            names[segment.number] = previous_names[new_number]
            continue
        if segment.number in drifted:
            taken = set(names.values()) | {
                name for number, name in previous_names.items() if number != new_number
            }
            names[segment.number] = _unique_name(drifted[segment.number], taken)
            continue
        # No name may repeat another segment's, in this run or the previous one: a vanished
        # segment's name shown next to a new segment's would read as the same segment.
        taken = set(names.values()) | {
            name for number, name in previous_names.items() if number != new_number
        }
        names[segment.number] = _unique_name(segment.persona.name, taken)
    renamed: list[tuple[int, Segment, tuple[float, ...]]] = []
    for segment, centre in zip(current.segments, current.centers, strict=True):
        new_number = mapping[segment.number]
        persona = replace(segment.persona, name=names[segment.number])
        renamed.append((new_number, replace(segment, number=new_number, persona=persona), centre))
    renamed.sort(key=lambda item: item[0])
    return replace(
        current,
        segments=tuple(item[1] for item in renamed),
        centers=tuple(item[2] for item in renamed),
        assignments=_renumber_assignments(current.assignments, mapping),
    )


def _drifted_names(
    current: Segmentation, previous: Segmentation, pairs: list[tuple[int, int, float]]
) -> dict[int, str]:
    """Matched segments whose centre moved out of their old name: current number -> new name.

    A segment is judged again when its centre moved by :data:`DRIFT_SD` of last month's spread
    on some numeric feature (the shift /compare calls a drift; resampling the same customers
    moves a centre by less, so a name never changes on noise alone); its new name is the one it
    gets among this month's segments when every position is read against last month's customers.
    """
    if not pairs or not previous.population:
        return {}
    before = {s.number: s for s in previous.segments}
    moved: set[int] = set()
    for cur, prev, _ in pairs:
        now, then = current.segment(cur), before[prev]
        for feature, value in now.centroid.items():
            quantiles = previous.population.get(feature, ())
            if feature not in then.centroid or len(quantiles) <= 75:
                continue
            spread = (quantiles[75] - quantiles[25]) / 1.349
            if spread > 0 and abs(value - then.centroid[feature]) >= DRIFT_SD * spread:
                moved.add(cur)
                break
    if not moved:
        return {}
    judged = make_personas(
        current.segments, previous.population, current.features, current.labels, current.units
    )
    names = {s.number: p.name for s, p in zip(current.segments, judged, strict=True)}
    previous_names = {cur: before[prev].persona.name for cur, prev, _ in pairs}
    return {cur: names[cur] for cur in sorted(moved) if names[cur] != previous_names[cur]}


def _unique_name(name: str, taken: set[str]) -> str:
    """``name``, or ``name (2)``, ``name (3)``… whichever is not taken."""
    if name not in taken:
        return name
    suffix = 2
    while f"{name} ({suffix})" in taken:
        suffix += 1
    return f"{name} ({suffix})"


def _renumber_assignments(assignments: pd.DataFrame, mapping: dict[int, int]) -> pd.DataFrame:
    """A copy of ``assignments`` with ``segment`` and ``runner_up`` mapped (0 stays 0)."""
    out = assignments.copy()
    lookup = {**mapping, 0: 0}
    for column in ("segment", "runner_up"):
        if column in out.columns:
            source = out[column]
            values = source.to_numpy(dtype=np.int64)
            size = max([*lookup, int(values.max(initial=0))]) + 1
            table = np.arange(size, dtype=np.int64)
            for old, new in lookup.items():
                table[old] = new
            out[column] = pd.Series(table[values], index=out.index).astype(source.dtype)
    return out
