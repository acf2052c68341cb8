"""Persona names, descriptions and actions in the reader's language.

Personas are made, compared and stored in English (``segmentation.personas``). A reader sees
them through :func:`localise`, which reads a stored text back into the pieces ``personas`` put
together, with the tables and templates it puts them together with (imported from there, so the
two cannot drift apart), and puts the same pieces together again in the reader's language. The
templates are translated too, so a language orders the words its own way:

    "Young affluent big spenders, mostly women"
    -> "{name}, {trait}" with name = "Young {name}" (name = "Affluent big spenders")
                         and trait = "mostly women"
    -> "Молодые состоятельные транжиры, в основном женщины"

Labels of the engine's own columns (income, spending score, age, a purchase log's figures) are
translated; a customer's own column names and values stay as written. A piece that cannot be
read back for certain (a header with a comma in it, a text from an older version) stays in
English, whole: never a wrong or half-translated text.
"""

from __future__ import annotations

import re
import string
from functools import lru_cache

from segmentation import personas as made
from segmentation.concepts import CONCEPTS
from segmentation.display import friendly_label
from segmentation.result import Persona
from segmentation.words import ENGLISH, N_, Words

#: Labels ``friendly_label`` gives the figures of a purchase log (``ingest.purchases``).
PURCHASE_LABELS = (
    N_("last purchase"),
    N_("orders"),
    N_("total spend"),
    N_("average order value"),
    N_("first purchase"),
    N_("r score"),
    N_("f score"),
    N_("m score"),
)
#: Column labels that are the engine's words, not the customer's: translated.
ENGINE_LABELS = frozenset(
    {*(friendly_label(field, {}) for field in ("income", "score", "age")), *PURCHASE_LABELS}
)
NOT_AVAILABLE = N_("n/a")


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def _lower_first(text: str) -> str:
    """``Affluent big spenders`` -> ``affluent big spenders``; ``VIP guests`` as it is."""
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].lower() + text[1:]


def _pattern(template: str, **fields: str) -> re.Pattern[str]:
    """A template read back: its words as written, each ``{field}`` as ``fields[field]``."""
    out = []
    for literal, field, _spec, _conversion in string.Formatter().parse(template):
        out.append(re.escape(literal))
        if field is not None:
            out.append(f"(?P<{field}>{fields.get(field, '.+')})")
    return re.compile("".join(out), re.DOTALL)


_CONCEPT_NAMES = {name for concept in CONCEPTS for name in concept[1:3] if name}
#: Names that take young or older in front, and names taken as they are.
_AGEABLE = {*made.PAIR_NAMES.values(), *made.INCOME_NAMES.values(), *made.SCORE_NAMES.values()}
_WHOLE_NAMES = _AGEABLE | set(made.AGE_NAMES.values()) | set(made.RFM_ACTIONS) | made.PERSONA_NAMES
_AGED = [(age, template, _pattern(template)) for age, template in made.AGED.items()]
_AGED_LEVELS = [(template, _pattern(template)) for template in made.AGED_LEVELS.values()]
_ONE_LEVEL = [(template, _pattern(template)) for template in made.ONE_LEVEL_NAMES.values()]
_TWO_LEVELS = list(made.TWO_LEVEL_NAMES.values())
_PHRASES = {level: _pattern(template) for level, template in made.LEVEL_PHRASES.items()}
#: A familiar kind of column said after a name, first letter lower-cased (``large families``).
_TRAITS = {name[0].lower() + name[1:]: name for name in _CONCEPT_NAMES}
_GENDERS = {*made.ALL_GENDER.values(), *made.MOSTLY_GENDER.values()}
_TWINS = [(template, _pattern(template)) for template in (made.HIGHER, made.LOWER)]
_NUMBERED = _pattern(made.NUMBERED, number=r"\d+")
_WITH_GENDER = _pattern(made.WITH_GENDER, gender="|".join(map(re.escape, sorted(_GENDERS))))
_PARTS = [
    (template, _pattern(template, label=r".+?", value=r"\S.*"))
    for template in made.DESCRIBED.values()
]
_HALVES = [
    (template, _pattern(template, low=r"-?\d+", high=r"-?\d+"))
    for template in (made.HALF, made.HALF_AGED)
]
_ACTIONS = {
    *made.PAIR_ACTIONS.values(),
    *made.AGE_ACTIONS.values(),
    *made.RFM_ACTIONS.values(),
    *(action for concept in CONCEPTS for action in concept[3:5] if action),
}
_LABELLED_ACTIONS = [
    (template, _pattern(template)) for template in (made.BUILD_ON, made.FIND_OUT_WHY)
]
#: A value as ``format_value`` writes it: ``-$1,234k``, ``0.42``, ``12 days ago``, ``82/100``.
_VALUE = re.compile(
    r"(?P<sign>-?)(?P<prefix>[$€£¥]?)(?P<number>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?P<suffix>.*)",
    re.DOTALL,
)
_DAYS_AGO = (" days ago", " day ago")

#: A name read back: how many of its pieces were kept as written (a customer's own words, or
#: words not read), and the name in the reader's language.
_Reading = tuple[int, str]


class _Reader:
    """Reads one persona back and writes it in ``words``' language."""

    def __init__(self, words: Words) -> None:
        self.words = words
        #: Labels the description names: they tell how a name's labels are cut.
        self.known = set(ENGINE_LABELS)
        self.names: dict[str, _Reading | None] = {}

    def label(self, label: str) -> str:
        """An engine label translated, a customer's label as written."""
        return self.words(label) if label in ENGINE_LABELS else label

    # Descriptions: "Income ~$87k (high); spending score ~82 (high); half aged 30–36. Mostly
    # women."

    def description(self, text: str) -> str:
        gender = next((g for g in _GENDERS if text.endswith(f" {_upper_first(g)}.")), None)
        body = text[: -len(gender) - 2] if gender else text
        if not body.endswith("."):
            return text
        body = _lower_first(body[:-1])
        half = None
        for template, pattern in _HALVES:
            found = pattern.fullmatch(body)
            if found:
                body, half = found["text"], (template, found["low"], found["high"])
                break
        if body == made.CLOSE_TO_TYPICAL:
            out = self.words(made.CLOSE_TO_TYPICAL)
        else:
            out = "; ".join(self.part(part) for part in body.split("; "))
        if half is not None:
            template, low, high = half
            out = self.words(template, text=out, low=self.number(low), high=self.number(high))
        out = f"{_upper_first(out)}."
        if gender:
            out += f" {_upper_first(self.words(gender))}."
        return out

    def part(self, text: str) -> str:
        """``income ~$87k (high)``; a part not read stays as written."""
        for template, pattern in _PARTS:
            found = pattern.fullmatch(text)
            if found:
                label = found["label"]
                self.known.update({label, _upper_first(label)})
                return self.words(
                    template, label=self.label(label), value=self.value(found["value"])
                )
        return text

    def number(self, text: str) -> str:
        digits = len(text.partition(".")[2])
        return self.words.number(float(text.replace(",", "")), digits)

    def value(self, text: str) -> str:
        if text == "n/a":
            return self.words(NOT_AVAILABLE)
        found = _VALUE.fullmatch(text)
        if found is None:
            return text
        sign, prefix, number, suffix = (
            found["sign"],
            found["prefix"],
            found["number"],
            found["suffix"],
        )
        if suffix in _DAYS_AGO:
            amount = float(number.replace(",", ""))
            if amount.is_integer():
                return sign + self.words.ngettext("{n} day ago", "{n} days ago", int(amount))
            # a fraction of a day takes the form a language uses for a few
            form = self.words.plural_forms("{n} day ago", "{n} days ago", 2)
            return sign + form.format(n=self.number(number))
        return f"{sign}{prefix}{self.number(number)}{suffix}"

    # Actions: whole texts, or one of two with a column's label in them.

    def action(self, text: str) -> str:
        if text in _ACTIONS:
            return self.words(text)
        for template, pattern in _LABELLED_ACTIONS:
            found = pattern.fullmatch(text)
            if found:
                return self.words(template, label=self.label(found["label"]))
        return text

    # Names: a core name, then things said after it (", trait", " (mostly women)", " (2)").

    def name(self, text: str) -> str:
        reading = self.reading(text)
        return _upper_first(reading[1]) if reading is not None else text

    def reading(self, text: str) -> _Reading | None:
        """The name read with the fewest pieces kept as written, or ``None``."""
        if text in self.names:
            return self.names[text]
        self.names[text] = None  # no loops
        core = self.core(text)
        best: _Reading | None = (0, core) if core is not None else None
        candidates = []
        if best is None:
            found = _NUMBERED.fullmatch(text)
            if found:
                candidates.append((found["name"], made.NUMBERED, "number", (0, found["number"])))
            found = _WITH_GENDER.fullmatch(text)
            if found:
                gender = (0, self.words(found["gender"]))
                candidates.append((found["name"], made.WITH_GENDER, "gender", gender))
            cuts = [i for i in range(len(text) - 1, 0, -1) if text.startswith(", ", i)]
            for cut in cuts:
                piece = self.piece(text[cut + 2 :])
                if piece is not None:
                    candidates.append((text[:cut], made.WITH_TRAIT, "trait", piece))
        for rest, template, field, (kept, said) in candidates:
            before = self.reading(rest)
            if before is None:
                continue
            reading = (before[0] + kept, self.words(template, name=before[1], **{field: said}))
            if best is None or reading[0] < best[0]:
                best = reading
        if best is None and ", " not in text:
            best = (1, text)  # a text column's level said as a name ("Membership tier Gold")
        self.names[text] = best
        return best

    def piece(self, text: str) -> _Reading | None:
        """A thing said after a name: a gender, a trait, a tie-breaker, a customer's level."""
        if text in _GENDERS or text in (made.OLDER, made.YOUNGER):
            return 0, self.words(text)
        if text in _TRAITS:
            return 0, _lower_first(self.words(_TRAITS[text]))
        for template, pattern in [
            *_TWINS,
            *((made.LEVEL_PHRASES[lv], p) for lv, p in _PHRASES.items()),
        ]:
            found = pattern.fullmatch(text)
            if found and self.plain(found["label"]):
                return 0, self.words(template, label=self.label(found["label"]))
        if ", " not in text:
            return 1, text  # a text column's level ("membership tier Gold")
        return None

    def plain(self, label: str) -> bool:
        """Whether ``label`` can be one label: with a comma only when the description names it."""
        return bool(label) and label == label.strip() and (", " not in label or label in self.known)

    def core(self, text: str) -> str | None:
        """A name as ``make_personas`` starts it, or ``None``."""
        if text in _WHOLE_NAMES:
            return self.words(text)
        for age, template, pattern in _AGED:
            found = pattern.fullmatch(text)
            if found:
                name = _upper_first(found["name"])
                if name in made.PERSONA_NAMES or (name in _AGEABLE and age != "average"):
                    return self.words(template, name=_lower_first(self.words(name)))
        for template, pattern in _AGED_LEVELS:
            found = pattern.fullmatch(text)
            if found:
                levels = self.levels(_upper_first(found["levels"]))
                if levels is not None:
                    return self.words(template, levels=_lower_first(levels))
        return self.levels(text)

    def levels(self, text: str) -> str | None:
        """A name of one or two columns' levels ("High grocery and milk", "High x, low y")."""
        readings: list[tuple[list[str], str, dict[str, str]]] = []
        for template, pattern in _ONE_LEVEL:
            found = pattern.fullmatch(text)
            if found:
                readings.append(([found["label"]], template, {"label": found["label"]}))
        for template in _TWO_LEVELS:
            head, _, _ = template.partition("{first}")
            if not text.startswith(head):
                continue
            rest = text[len(head) :]
            for cut in (m.start() for m in re.finditer(" and ", rest)):
                first, second = rest[:cut], rest[cut + 5 :]
                readings.append(([first, second], template, {"first": first, "second": second}))
        lowered = _lower_first(text)
        for cut in (m.start() for m in re.finditer(", ", lowered)):
            high = _PHRASES["high"].fullmatch(lowered[:cut])
            low = _PHRASES["low"].fullmatch(lowered[cut + 2 :])
            if high and low:
                labels = [high["label"], low["label"]]
                readings.append(
                    (labels, made.LEVEL_PAIR, {"first": labels[0], "second": labels[1]})
                )
        readings = [r for r in readings if all(self.plain(label) for label in r[0])]
        chosen = self.choose(readings)
        if chosen is None:
            return None
        labels, template, fields = chosen
        if template == made.LEVEL_PAIR:
            first = self.words(made.LEVEL_PHRASES["high"], label=self.label(labels[0]))
            second = self.words(made.LEVEL_PHRASES["low"], label=self.label(labels[1]))
            return _upper_first(self.words(template, first=first, second=second))
        return self.words(template, **{k: self.label(v) for k, v in fields.items()})

    def choose(
        self, readings: list[tuple[list[str], str, dict[str, str]]]
    ) -> tuple[list[str], str, dict[str, str]] | None:
        """The one reading of a name's labels, or ``None`` when the labels could be cut two ways.

        "High detergents and paper and milk" is one label and two, or two and one: the labels
        the description names decide.
        """
        if len(readings) <= 1:
            return readings[0] if readings else None
        for test in (all, any):
            known = [r for r in readings if test(label in self.known for label in r[0])]
            if len(known) == 1:
                return known[0]
            if known:
                return None
        return None


@lru_cache(maxsize=4096)
def _localised(persona: Persona, words: Words) -> Persona:
    reader = _Reader(words)
    description = reader.description(persona.description)  # first: it names the labels
    return Persona(
        name=reader.name(persona.name),
        description=description,
        action=reader.action(persona.action),
    )


def localise(persona: Persona, words: Words = ENGLISH) -> Persona:
    """``persona`` with its name, description and action in ``words``' language.

    Args:
        persona: A persona as ``make_personas`` wrote it (in English), stored or fresh.
        words: The reader's language.

    Returns:
        The same persona in that language: the engine's words translated, a customer's column
        names and values as written, and any piece that cannot be read back in English.
    """
    if words.language == "en":
        return persona
    return _localised(persona, words)
