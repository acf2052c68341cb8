"""Give each segment a persona as a marketer would: a name, a description and an action.

All three come from where the segment's centre stands in the population (its *standing* on
each feature, read as high, low or average: ``segmentation.standing``); the most extreme
standings are the ones a name or description speaks of first.

Names:

- with ``income`` and ``score`` among the features, one of nine fixed names by their two levels
  ("Affluent big spenders" = high/high, "Careful high earners" = high/low, "Impulsive budget
  shoppers" = low/high, "Frugal low earners" = low/low, "Mainstream middle" = average/average …);
  with only one of them, a name from it ("High earners", "Big spenders" …);
- ``age``, when clustered on and not average, adds "Young" or "Older" in front;
- with neither income nor score, a familiar kind of column among the most extreme ones gives a
  persona ("Cash-advance users", "Big spenders", "Large families", "Lapsed customers" …, age in
  front when clustered on: "Young large families"); otherwise the one or two most extreme
  columns that speak of different things ("High grocery and milk", "High grocery, low milk"),
  or "Typical customers".

Names are unique within a run: clashing names get the feature that best tells the clashing
segments apart ("…, high spend on wines"), then "mostly women/men"; two segments still sharing
a name get the number that differs most between them ("…, younger" / "…, older",
"…, higher income"); only then a number.
"""

from __future__ import annotations

import itertools
import logging
import math
import re
from collections.abc import Mapping, Sequence

from segmentation.concepts import BEHAVIOUR, CONCEPTS, SPEND, concept_of
from segmentation.display import format_value, friendly_label
from segmentation.features import is_level, level_parts
from segmentation.lookup import percentile_of, standing_of
from segmentation.result import Persona, Segment
from segmentation.standing import Level, level_of, positions
from segmentation.words import N_

logger = logging.getLogger(__name__)

# The fixed words of a persona, marked for translation where they are written. Names are made,
# compared and stored in English; ``segmentation.persona_words`` reads a stored name, description
# or action back into these pieces to show it in the reader's language, so every way of putting
# the pieces together is one of the templates below and nothing else.

#: Names by income and spending-score level.
PAIR_NAMES: dict[tuple[Level, Level], str] = {
    ("high", "high"): N_("Affluent big spenders"),
    ("high", "low"): N_("Careful high earners"),
    ("high", "average"): N_("Comfortable high earners"),
    ("low", "high"): N_("Impulsive budget shoppers"),
    ("low", "low"): N_("Frugal low earners"),
    ("low", "average"): N_("Budget regulars"),
    ("average", "high"): N_("Keen mid-income spenders"),
    ("average", "low"): N_("Reserved mid-income shoppers"),
    ("average", "average"): N_("Mainstream middle"),
}
INCOME_NAMES: dict[Level, str] = {
    "high": N_("High earners"),
    "low": N_("Low earners"),
    "average": N_("Middle earners"),
}
SCORE_NAMES: dict[Level, str] = {
    "high": N_("Big spenders"),
    "low": N_("Light spenders"),
    "average": N_("Moderate spenders"),
}
AGE_NAMES: dict[Level, str] = {
    "high": N_("Older customers"),
    "low": N_("Young customers"),
    "average": N_("Middle-aged customers"),
}
#: The name for a segment that stands out on nothing.
TYPICAL = N_("Typical customers")
#: Age in front of a name, the name's first letter lower-cased ("Young affluent big spenders",
#: "Middle-aged large families"); names of income, score or spend take young and older only.
AGED: dict[Level, str] = {
    "high": N_("Older {name}"),
    "low": N_("Young {name}"),
    "average": N_("Middle-aged {name}"),
}
_AGE_PREFIX = {"high": AGED["high"], "low": AGED["low"]}
#: The names a segment gets from a familiar kind of column, or from nothing standing out.
PERSONA_NAMES = frozenset({TYPICAL, *(c[1] for c in CONCEPTS), *(c[2] for c in CONCEPTS)} - {""})
#: Age in front of a name made of column levels ("Young high grocery and milk").
AGED_LEVELS: dict[Level, str] = {
    "high": N_("Older {levels}"),
    "low": N_("Young {levels}"),
    "average": N_("Middle-aged {levels}"),
}
#: A column's level: ``high income`` (a trait, a tie-breaker, half of a generic name).
LEVEL_PHRASES: dict[Level, str] = {
    "high": N_("high {label}"),
    "low": N_("low {label}"),
    "average": N_("average {label}"),
}
#: Generic names from the one or two most telling columns (never average ones).
ONE_LEVEL_NAMES: dict[Level, str] = {"high": N_("High {label}"), "low": N_("Low {label}")}
TWO_LEVEL_NAMES: dict[Level, str] = {
    "high": N_("High {first} and {second}"),
    "low": N_("Low {first} and {second}"),
}
#: Two columns at different levels, the high one first ("High grocery, low milk").
LEVEL_PAIR = N_("{first}, {second}")
#: A name with one more thing said (a trait, a gender, a tie-breaker): "Big spenders, large
#: families".
WITH_TRAIT = N_("{name}, {trait}")
#: Names left sharing a name after every trait: by gender, then by number.
WITH_GENDER = N_("{name} ({gender})")
NUMBERED = N_("{name} ({number})")
#: The gender of nearly all / most of a segment.
ALL_GENDER = {"Female": N_("all women"), "Male": N_("all men")}
MOSTLY_GENDER = {"Female": N_("mostly women"), "Male": N_("mostly men")}
#: Twins told apart by the number that differs most: age, else any column.
OLDER, YOUNGER = N_("older"), N_("younger")
HIGHER, LOWER = N_("higher {label}"), N_("lower {label}")
#: A description's part per feature, by level (age reads younger or older).
DESCRIBED: dict[str, str] = {
    "high": N_("{label} ~{value} (high)"),
    "low": N_("{label} ~{value} (low)"),
    "average": N_("{label} ~{value} (average)"),
    "older": N_("{label} ~{value} (older)"),
    "younger": N_("{label} ~{value} (younger)"),
}
#: A description with nothing that stands out.
CLOSE_TO_TYPICAL = N_("close to the typical customer")
#: Where half the segment's ages lie, after the age part or after the other parts.
HALF = N_("{text}, half {low}–{high}")
HALF_AGED = N_("{text}; half aged {low}–{high}")

PAIR_ACTIONS: dict[tuple[Level, Level], str] = {
    ("high", "high"): N_(
        "Enrol them in a VIP tier: early access to new collections and "
        "invitations to private shopping evenings."
    ),
    ("high", "low"): N_(
        "Win their spending with premium, quality-led offers and personal-shopper invitations."
    ),
    ("high", "average"): N_("Upsell premium lines with offers on the categories they already buy."),
    ("low", "high"): N_(
        "Keep them loyal with points, flash sales and trend-led offers at accessible prices."
    ),
    ("low", "low"): N_("Low priority: include them in value bundles and discount days only."),
    ("low", "average"): N_("Reach them with value packs and discount-day reminders."),
    ("average", "high"): N_("Reward their spending with loyalty points and bring-a-friend offers."),
    ("average", "low"): N_("Test a time-limited voucher to bring them back more often."),
    ("average", "average"): N_(
        "Keep them engaged with the regular newsletter and seasonal promotions."
    ),
}
AGE_ACTIONS: dict[Level, str] = {
    "low": N_("Reach them on social media with trend-led offers and student-style deals."),
    "high": N_("Invite them to comfort-focused in-store events and loyalty mailings."),
}
#: Actions for an unfamiliar column that stands out.
BUILD_ON = N_("Build on their high {label}: offer them related products first.")
FIND_OUT_WHY = N_("Find out why their {label} is low, then test a targeted offer.")

_CANONICAL = ("income", "score", "age")

#: The features of a purchase log; with all three, segments get RFM names (``rfm_class``).
RFM_FEATURES = ("recency", "frequency", "spend")
#: The RFM classes (``rfm_class``) and their actions.
RFM_ACTIONS = {
    N_("Champions"): N_(
        "Reward them: early access, a members' event and a referral offer; no discounts needed."
    ),
    N_("Loyal customers"): N_("Upsell higher-value lines and invite them to the loyalty tier."),
    N_("New customers"): N_("Welcome them with an onboarding series and a second-purchase offer."),
    N_("Promising"): N_("Build the habit: a time-limited offer on what they bought first."),
    N_("Need attention"): N_(
        "Send a personal recommendation and a limited-time offer before they drift."
    ),
    N_("At risk"): N_(
        "Win them back now: a personal message and an offer on their usual purchases."
    ),
    N_("Can't lose them"): N_(
        "Call or write personally: they were among the best; find out what changed."
    ),
    N_("Hibernating"): N_("Include them in seasonal sales and reactivation campaigns at low cost."),
    N_("Lost"): N_("Low priority: one win-back attempt, then leave them out of paid campaigns."),
}

#: Siblings this close on a feature (in standard deviations) share one level (see _settle).
SIBLING_GAP = 0.15
#: A trait this many standard deviations out is said in the name when the name is silent on it.
EXTREME = 1.0
#: A segment at least this share one gender says so in its name.
NAME_GENDER_SHARE = 0.8


def _overlaps(first: str, second: str) -> bool:
    """Whether two labels speak of the same thing (``cash advance`` / ``cash advance trx``)."""
    if first in second or second in first:
        return True
    return first.split()[0] == second.split()[0]


def make_personas(
    segments: Sequence[Segment],
    population: Mapping[str, Sequence[float]],
    features: Sequence[str],
    labels: Mapping[str, str],
    units: Mapping[str, str],
) -> list[Persona]:
    """Name, describe and give an action to every segment.

    Args:
        segments: The segments, in number order (centroids and statistics filled in).
        population: Numeric column -> its 0th..100th percentiles.
        features: The features clustered on.
        labels: Column -> display label.
        units: Column -> display unit.

    Returns:
        One persona per segment, in the same order, names unique.
    """
    places = _settle([positions(s, population, features) for s in segments])
    spend = spend_axis(features, labels)
    rfm = set(RFM_FEATURES) <= set(features)
    classes = [rfm_class(seg, population) if rfm else "" for seg in segments]
    bases = [
        (cls, {*RFM_FEATURES, "tenure"}) if rfm else _base_name(p, spend, labels)
        for cls, p in zip(classes, places, strict=True)
    ]
    for i, segment in enumerate(segments):
        for trait in _level_traits(segment, features, labels):
            name, used = bases[i]
            if not name and not _telling(places[i]):
                bases[i] = (trait[0].upper() + trait[1:], used | {trait})
            elif name:
                bases[i] = (WITH_TRAIT.format(name=name, trait=trait), used | {trait})
        gender = _gender_phrase(segment, NAME_GENDER_SHARE)
        if gender and bases[i][0] and "gender" not in bases[i][1]:
            bases[i] = (WITH_TRAIT.format(name=bases[i][0], trait=gender), bases[i][1] | {"gender"})
    names = _unique_names([b[0] for b in bases], [b[1] for b in bases], places, segments, labels)
    names = _tell_twins_apart(names, segments, population, labels)
    return [
        Persona(
            name=name,
            description=_describe(segment, place, labels, units, base[1]),
            action=RFM_ACTIONS[cls] if rfm else _action(place, spend, labels),
        )
        for name, segment, place, base, cls in zip(
            names, segments, places, bases, classes, strict=True
        )
    ]


def rfm_class(segment: Segment, population: Mapping[str, Sequence[float]]) -> str:
    """The RFM class of a segment, from where its medians rank among all customers.

    R is the percentile of recency reversed (few days since the last purchase ranks high), F
    of frequency, M of spend and T of tenure, each 0–100:

    - Champions: R ≥ 70, F ≥ 80 and M ≥ 80;
    - New customers: R ≥ 60, F ≤ 40 and T ≤ 25 (Promising when T is longer);
    - Loyal customers: R ≥ 50 and F ≥ 50;
    - Can't lose them: R ≤ 40, F ≥ 70 and M ≥ 70;
    - At risk: R ≤ 40 and F or M ≥ 50;
    - Lost: R ≤ 20 and F ≤ 40; Hibernating: any other R ≤ 40;
    - Need attention: everything in between.
    """

    def rank(column: str) -> float:
        value = segment.median.get(column, math.nan)
        if column not in population or math.isnan(value):
            return 50.0
        return percentile_of(value, population[column])

    r, f, m, t = 100 - rank("recency"), rank("frequency"), rank("spend"), rank("tenure")
    if r >= 70 and f >= 80 and m >= 80:
        return N_("Champions")
    if r >= 60 and f <= 40:
        return N_("New customers") if t <= 25 else N_("Promising")
    if r >= 50 and f >= 50:
        return N_("Loyal customers")
    if r <= 40 and f >= 70 and m >= 70:
        return N_("Can't lose them")
    if r <= 40 and (f >= 50 or m >= 50):
        return N_("At risk")
    if r <= 20 and f <= 40:
        return N_("Lost")
    if r <= 40:
        return N_("Hibernating")
    return N_("Need attention")


def _telling(place: Mapping[str, float]) -> bool:
    """Whether any numeric feature stands out (not average)."""
    return any(level_of(p) != "average" for p in place.values())


def _level_traits(
    segment: Segment, features: Sequence[str], labels: Mapping[str, str]
) -> list[str]:
    """``membership tier Gold`` for each text column clustered on that the segment is mostly one
    level of (at least :data:`NAME_GENDER_SHARE`); gender is said by ``_gender_phrase``."""
    traits = []
    columns = dict.fromkeys(level_parts(f)[0] for f in features if is_level(f))
    for column in columns:
        if column == "gender":
            continue
        shares = {
            level_parts(f)[1]: segment.centroid.get(f, 0.0)
            for f in features
            if is_level(f) and level_parts(f)[0] == column
        }
        level, share = max(shares.items(), key=lambda item: (item[1], item[0]))
        if share >= NAME_GENDER_SHARE:
            traits.append(f"{friendly_label(column, labels)} {level}")
    return traits


def spend_axis(features: Sequence[str], labels: Mapping[str, str]) -> str | None:
    """The feature that measures spending: ``score``, else the first spend-like column.

    A column whose label speaks of spend, purchases amount, sales or revenue plays the part
    of the spending score, so the same numbers get the same name whatever the header says.
    """
    if "score" in features:
        return "score"
    for feature in features:
        concept = concept_of(feature, labels)
        if concept is not None and concept[0] == SPEND:
            return feature
    return None


def _settle(places: list[dict[str, float]]) -> list[dict[str, float]]:
    """Give siblings that stand almost level on a feature the same standing.

    Two segments :data:`SIBLING_GAP` or less apart on a feature but on either side of a
    level's threshold (-0.54 and -0.49) would be called "low" and "average" side by side;
    both take their mean standing instead, so the names never contradict the numbers.
    """
    out = [dict(p) for p in places]
    features = {f for p in out for f in p}
    for feature in sorted(features):
        members = sorted((out[i][feature], i) for i in range(len(out)) if feature in out[i])
        for (a, i), (b, j) in itertools.pairwise(members):
            if b - a <= SIBLING_GAP and level_of(a) != level_of(b):
                middle = (out[i][feature] + out[j][feature]) / 2
                out[i][feature] = out[j][feature] = middle
    return out


def _base_name(
    place: Mapping[str, float], spend: str | None, labels: Mapping[str, str]
) -> tuple[str, set[str]]:
    """The name before de-duplication, and the features it already speaks of."""
    lv = {f: level_of(p) for f, p in place.items()}
    age = lv.get("age")
    if spend is not None and spend not in lv:
        spend = None
    if "income" in lv and spend is not None:
        name, used = PAIR_NAMES[(lv["income"], lv[spend])], {"income", spend}
    elif spend is not None and not _other_stands_out(place, spend):
        name, used = SCORE_NAMES[lv[spend]], {spend}
    elif "income" in lv and not _behaviour_stands_out(place, labels):
        name, used = INCOME_NAMES[lv["income"]], {"income"}
    elif age is not None:
        other = {f: p for f, p in place.items() if f != "age"}
        telling = [f for f in _extremes(other, set()) if level_of(other[f]) != "average"]
        if telling:
            return "", set()  # named in _unique_names from the other columns, age in front
        return AGE_NAMES[age], {"age"}
    else:
        return "", set()  # generic: named in _unique_names, which knows the labels
    if age in _AGE_PREFIX:
        name = _AGE_PREFIX[age].format(name=f"{name[0].lower()}{name[1:]}")
        used.add("age")
    return _with_extreme_trait(name, used, place, labels)


def _other_stands_out(place: Mapping[str, float], spend: str) -> bool:
    """Whether a column other than spend and age stands farther out than spend does."""
    own = abs(place[spend])
    return any(
        abs(p) > own and level_of(p) != "average"
        for f, p in place.items()
        if f not in (spend, "age")
    )


def _behaviour_stands_out(place: Mapping[str, float], labels: Mapping[str, str]) -> bool:
    """Whether a behaviour column (visits, frequency, recency …) stands farther out than income."""
    income = abs(place.get("income", 0.0))
    for feature, position in place.items():
        concept = concept_of(feature, labels)
        if concept is not None and concept[0] in BEHAVIOUR and abs(position) > income:
            return level_of(position) != "average"
    return False


def _with_extreme_trait(
    name: str, used: set[str], place: Mapping[str, float], labels: Mapping[str, str]
) -> tuple[str, set[str]]:
    """Add the most extreme trait when the name does not speak of it yet.

    A trait :data:`EXTREME` standard deviations or more from the average, farther out than
    anything the name already says, is added: "Big spenders, large families".
    """
    concepts = {concept_of(f, labels) for f in used} - {None}
    rest = {
        f: p
        for f, p in place.items()
        if f not in used and f != "age" and (concept_of(f, labels) not in concepts)
    }
    if not rest:
        return name, used
    top = _extremes(rest, set())[0]
    said = max((abs(place[f]) for f in used if f in place), default=0.0)
    if abs(rest[top]) < EXTREME or abs(rest[top]) <= said:
        return name, used
    return WITH_TRAIT.format(name=name, trait=_trait(top, rest[top], labels)), used | {top}


def _trait(feature: str, position: float, labels: Mapping[str, str]) -> str:
    """``large families`` for a familiar kind of column, else ``high family size``."""
    concept = concept_of(feature, labels)
    level = level_of(position)
    if concept is not None:
        word = concept[1] if level == "high" else concept[2]
        if word:
            return word[0].lower() + word[1:]
    return _phrase(feature, position, labels)


def _phrase(feature: str, position: float, labels: Mapping[str, str]) -> str:
    """``high income`` / ``low spend on wines`` / ``average recency``."""
    return LEVEL_PHRASES[level_of(position)].format(label=friendly_label(feature, labels))


def _extremes(place: Mapping[str, float], skip: set[str]) -> list[str]:
    """Features not in ``skip``, most extreme position first (ties by name)."""
    return sorted((f for f in place if f not in skip), key=lambda f: (-abs(place[f]), f))


def _unique_names(
    bases: list[str],
    used: list[set[str]],
    places: list[dict[str, float]],
    segments: Sequence[Segment],
    labels: Mapping[str, str],
) -> list[str]:
    """Fill generic names and make every name unique."""
    names = list(bases)
    used = [set(u) for u in used]
    for i, name in enumerate(names):
        if name:
            continue
        place = {f: p for f, p in places[i].items() if f != "age"}
        names[i], used[i] = _generic_name(place, labels)
        if "age" in places[i]:
            # a name of column levels reads differently after an age than a persona does
            aged = AGED if names[i] in PERSONA_NAMES else AGED_LEVELS
            lowered = f"{names[i][0].lower()}{names[i][1:]}"
            names[i] = aged[level_of(places[i]["age"])].format(name=lowered, levels=lowered)
            used[i].add("age")
    for _ in range(3):
        clashes = _clashes(names)
        if not clashes:
            break
        for group in clashes:
            feature = _best_separator(group, places, used)
            if feature is None:
                continue
            for i in group:
                phrase = _phrase(feature, places[i][feature], labels)
                names[i] = WITH_TRAIT.format(name=names[i], trait=phrase)
                used[i].add(feature)
    for group in _clashes(names):
        genders = [_gender_phrase(segments[i]) for i in group]
        if len(set(genders)) > 1:
            for i, g in zip(group, genders, strict=True):
                if g:
                    names[i] = WITH_GENDER.format(name=names[i], gender=g)
    for group in _clashes(names):
        for rank, i in enumerate(group[1:], start=2):
            names[i] = NUMBERED.format(name=names[i], number=rank)
    return names


def _generic_name(place: Mapping[str, float], labels: Mapping[str, str]) -> tuple[str, set[str]]:
    """A name from the most telling columns when none of income, score or age is there.

    A familiar kind of column gives a persona ("Cash-advance users"); otherwise the one or
    two most extreme columns that speak of different things ("High grocery and milk",
    "High balance, low purchases").
    """
    telling = [f for f in _extremes(place, set()) if level_of(place[f]) != "average"]
    if not telling:
        return TYPICAL, set()
    first = telling[0]
    concept = concept_of(first, labels)
    level = level_of(place[first])
    if concept is not None:
        name = concept[1] if level == "high" else concept[2]
        if name:
            return name, {first}
    first_label = friendly_label(first, labels)
    others = [f for f in telling[1:] if not _overlaps(first_label, friendly_label(f, labels))]
    if not others:
        return ONE_LEVEL_NAMES[level].format(label=first_label), {first}
    second = others[0]
    second_label = friendly_label(second, labels)
    if level_of(place[second]) == level:
        name = TWO_LEVEL_NAMES[level].format(first=first_label, second=second_label)
        return name, {first, second}
    high, low = sorted([first, second], key=lambda f: level_of(place[f]) != "high")
    text = LEVEL_PAIR.format(
        first=_phrase(high, place[high], labels), second=_phrase(low, place[low], labels)
    )
    return text[0].upper() + text[1:], {first, second}


_NUMBERED = re.compile(r" \(\d+\)$")


def _tell_twins_apart(
    names: list[str],
    segments: Sequence[Segment],
    population: Mapping[str, Sequence[float]],
    labels: Mapping[str, str],
) -> list[str]:
    """Tell two segments left with one name apart by the number that differs most between them.

    ``Careful high earners`` and ``Careful high earners (2)`` become ``…, younger`` and
    ``…, older`` when their ages differ most, by a third of a standard deviation or more;
    any numeric column counts, clustered on or not.
    """
    out = list(names)
    for group in _clashes([_NUMBERED.sub("", n) for n in names]):
        if len(group) != 2:
            continue
        first, second = (segments[i] for i in group)
        best: tuple[float, str] | None = None
        for column in sorted(population):
            if is_level(column):
                continue
            a = standing_of(first.mean.get(column, math.nan), population[column])
            b = standing_of(second.mean.get(column, math.nan), population[column])
            if math.isnan(a) or math.isnan(b) or abs(a - b) < 1 / 3:
                continue
            if best is None or abs(a - b) > best[0]:
                best = (abs(a - b), column)
        if best is None:
            continue
        column = best[1]
        label = friendly_label(column, labels)
        higher, lower = (
            (OLDER, YOUNGER)
            if column == "age"
            else (HIGHER.format(label=label), LOWER.format(label=label))
        )
        a = standing_of(first.mean[column], population[column])
        b = standing_of(second.mean[column], population[column])
        words = (higher, lower) if a > b else (lower, higher)
        for i, word in zip(group, words, strict=True):
            out[i] = WITH_TRAIT.format(name=_NUMBERED.sub("", names[i]), trait=word)
    return out


def _clashes(names: list[str]) -> list[list[int]]:
    """Groups of indices sharing a name."""
    groups: dict[str, list[int]] = {}
    for i, name in enumerate(names):
        groups.setdefault(name, []).append(i)
    return [g for g in groups.values() if len(g) > 1]


def _best_separator(
    group: list[int], places: list[dict[str, float]], used: list[set[str]]
) -> str | None:
    """The unused feature whose level differs most across the group."""
    candidates: dict[str, float] = {}
    for feature in places[group[0]]:
        if any(feature in used[i] or feature not in places[i] for i in group):
            continue
        values = [places[i][feature] for i in group]
        if len({level_of(v) for v in values}) > 1:
            candidates[feature] = max(values) - min(values)
    if not candidates:
        return None
    return max(sorted(candidates), key=lambda f: candidates[f])


def _gender_phrase(segment: Segment, least: float = 0.65) -> str:
    """``all women`` (99.5 % or more), ``mostly men`` (``least`` or more), else ``""``."""
    for level, share in segment.gender_mix.items():
        if share >= 0.995 and level in ALL_GENDER:
            return ALL_GENDER[level]
        if share >= least and level in MOSTLY_GENDER:
            return MOSTLY_GENDER[level]
    return ""


def _describe(
    segment: Segment,
    place: Mapping[str, float],
    labels: Mapping[str, str],
    units: Mapping[str, str],
    named: set[str],
) -> str:
    """One or two sentences: where the centre stands and who they are.

    The most extreme trait comes first when the name does not already speak of it.
    """
    ordered = []
    extremes = _extremes(place, set())
    if extremes and extremes[0] not in named:
        ordered.append(extremes[0])
    ordered += [f for f in _CANONICAL if f in place and f != "age" and f not in ordered]
    ordered += [f for f in extremes if f not in ordered and f not in _CANONICAL][
        : max(0, 3 - len(ordered))
    ]
    if "age" in place and len(ordered) < 3:
        ordered.append("age")
    parts = []
    for feature in ordered:
        level = level_of(place[feature])
        if feature == "age":
            # "age ~33 (low)" reads oddly; people are younger or older.
            level = {"high": "older", "low": "younger"}.get(level, level)
        value = format_value(segment.centroid[feature], units.get(feature) or "")
        parts.append(DESCRIBED[level].format(label=friendly_label(feature, labels), value=value))
    text = "; ".join(parts) if parts else CLOSE_TO_TYPICAL
    if "age" in segment.quartiles:
        low, high = segment.quartiles["age"]
        if not (math.isnan(low) or math.isnan(high)):
            # The quartiles: half the segment is between them.
            joint = HALF if "age" in ordered else HALF_AGED
            text = joint.format(text=text, low=f"{low:.0f}", high=f"{high:.0f}")
    text = f"{text[0].upper()}{text[1:]}."
    gender = _gender_phrase(segment)
    if gender:
        text += f" {gender[0].upper()}{gender[1:]}."
    return text


def _action(place: Mapping[str, float], spend: str | None, labels: Mapping[str, str]) -> str:
    """One concrete marketing action."""
    lv = {f: level_of(p) for f, p in place.items()}
    if spend is not None and spend not in lv:
        spend = None
    spend_level = lv[spend] if spend is not None else "average"
    if ("income" in lv and spend is not None) or (
        spend is not None and not _other_stands_out(place, spend)
    ):
        return PAIR_ACTIONS[(lv.get("income", "average"), spend_level)]
    if "income" in lv and spend is None and not _behaviour_stands_out(place, labels):
        return PAIR_ACTIONS[(lv["income"], "average")]
    if lv.get("age") in AGE_ACTIONS:
        return AGE_ACTIONS[lv["age"]]
    top = [f for f in _extremes(place, {"age"}) if lv[f] != "average"]
    if not top:
        return PAIR_ACTIONS[("average", "average")]
    for feature in top:
        concept = concept_of(feature, labels)
        if concept is None:
            label = friendly_label(feature, labels)
            if lv[feature] == "high":
                return BUILD_ON.format(label=label)
            return FIND_OUT_WHY.format(label=label)
        action = concept[3] if lv[feature] == "high" else concept[4]
        if action:
            return action
        # A familiar kind of column with nothing to act on this way (few cash advances is
        # no problem to fix): the next trait decides.
    return PAIR_ACTIONS[("average", "average")]
