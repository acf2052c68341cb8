"""Understand a plain message: a command, a question about the data, or a near miss.

Deterministic and local: word lists, regular expressions and :mod:`difflib`; no language
model and no network. Column, value and segment names come from a :class:`Vocabulary` built
from the chat's own data (or the canonical one before any upload).

Data questions come back as intents of hidden commands (``count``, ``stat``, ``top``,
``meaning``) whose argument text is ``key=value`` pairs joined by ``;`` (:func:`pack`), so a
question and a typed ``/top n=5;column=income`` run the same code.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from bot.intents import NUMBER_WORDS as _NUMBER_WORDS
from bot.intents import Intent, match_intent, normalise
from bot.phrasebook import Reading, looks_foreign, read

#: Commands that change or delete what the chat stored: a message reaches one only when it
#: plainly asks for it, never through a corrected typo.
DESTRUCTIVE = frozenset({"forget", "use", "k", "features", "columns"})

#: Intent of a near miss: its argument is the command the button offers.
DID_YOU_MEAN = "did_you_mean"

#: How close a one-word message must be to a command's name to run it without asking.
CLEAR_MATCH = 0.8

#: Short forms managers type, read as the word they stand for.
_SHORT_FORMS = {
    "tp": "top",
    "seg": "segment",
    "segs": "segments",
    "cust": "customers",
    "custs": "customers",
    "avg": "average",
    "pls": "please",
    "plz": "please",
    "sho": "show",
    "wat": "what",
}

#: Longest message read as a question; a longer one (a pasted text) gets the hint, so that
#: reading it never holds up the event loop.
MAX_QUESTION = 400

#: Most customers a "top N" question lists.
MAX_TOP = 100
#: Customers listed when a "top" question names no number.
DEFAULT_TOP = 10


#: The canonical columns and the words managers use for them.
_FIELD_WORDS: dict[str, tuple[str, ...]] = {
    "age": ("age", "ages", "old", "how old", "years old"),
    "income": (
        "income",
        "incomes",
        "salary",
        "salaries",
        "earnings",
        "earn",
        "earners",
        "annual income",
        "wage",
        "wages",
    ),
    "score": ("spending score", "score", "scores", "spending", "spend", "spenders", "spends"),
}

#: Gender values and the words managers use for them.
_GENDER_WORDS: dict[str, tuple[str, ...]] = {
    "Female": ("women", "woman", "female", "females", "ladies", "girls"),
    "Male": ("men", "man", "male", "males", "gentlemen", "guys"),
}


def _word_set(text: str) -> frozenset[str]:
    """The words of a block of text."""
    return frozenset(text.split())


#: Words the rules below look for; a misspelt word close to one of them is read as it.
#: Destructive words are left out on purpose, so no typo ever leads to a deletion.
KEYWORDS = _word_set(
    """
    segment segments cluster clusters group groups customer customers client clients member
    members people target targets targeting average median typical total mean highest lowest
    biggest largest smallest richest oldest youngest best worst spenders earners income
    spending score gender women female male export download compare changed plot chart scatter
    profile profiles overview summary datasets uploads report excel spreadsheet help hello
    thanks thank how many much which what where about tell show list number top bottom
    oldest valuable mean means meaning explain why found chosen choose
    """
)

#: Words never corrected (common English close to a keyword).
_KEEP = _word_set(
    """
    than then them they their there these those this that with without when were where
    show shows many much made make mean means most more some same time team tell tall
    forget forgot delete deleted erase wipe remove clear used uses using
    send sent sends give gave upload uploaded file data move moved moves meant need needs
    tears years year week weeks month months today sales sale store stores shop shops
    like likes love want wants would could should shall will just only also very really
    know knows think thing things good great nice please sorry hello thank thanks
    what which while whole whom whose why from into onto over under above below after
    before again ever every each other others another same such here there where
    been being have having does doing done said says send went gone come came
    first last next back more most less least many much some none both either
    younger older elder above below over under aged ages
    """
)

_GROUP = r"(?:segments?|clusters?|groups?)"
_PEOPLE = r"(?:customers?|clients?|members?|people|shoppers?|buyers?|persons?|folks)"
_SEGMENT_NUMBER = re.compile(r"\b(?:segment|cluster|group)\s*(?:number\s+|no\.?\s*|#)?(\d{1,3})\b")


@dataclass(frozen=True)
class Vocabulary:
    """The names a chat's questions can use.

    Attributes:
        columns: Phrase (lower case) -> numeric column.
        levels: Phrase (lower case) -> (text column, value).
        segments: Segment name (lower case) -> number.
        spend: The column "best customers" are ranked by (the engine's spend column).
        income: The column standing for customers' means, if any.
    """

    columns: Mapping[str, str] = field(default_factory=dict)
    levels: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    segments: Mapping[str, int] = field(default_factory=dict)
    spend: str | None = None
    income: str | None = None

    def words(self) -> set[str]:
        """Every single word of the vocabulary's phrases (for typo correction)."""
        phrases = [*self.columns, *self.levels, *self.segments]
        return {w for p in phrases for w in re.findall(r"[a-z]+", p) if len(w) >= 4}


def canonical_vocabulary(
    columns: Iterable[str] = ("age", "income", "score"), gender: bool = True
) -> Vocabulary:
    """The vocabulary of a member list with the canonical columns (before any upload)."""
    phrases: dict[str, str] = {}
    for column in columns:
        for phrase in _FIELD_WORDS.get(column, (column,)):
            phrases[phrase] = column
    levels: dict[str, tuple[str, str]] = {}
    if gender:
        for value, words in _GENDER_WORDS.items():
            for word in words:
                levels[word] = ("gender", value)
    kept = set(columns)
    return Vocabulary(
        phrases,
        levels,
        {},
        spend="score" if "score" in kept else None,
        income="income" if "income" in kept else None,
    )


def build_vocabulary(
    labels: Mapping[str, str],
    numeric: Iterable[str],
    attribute_levels: Mapping[str, Iterable[str]],
    segment_names: Mapping[int, str],
    spend: str | None,
    income: str | None,
) -> Vocabulary:
    """A chat's vocabulary from its data.

    Args:
        labels: Column -> header as in the file.
        numeric: The numeric columns questions may ask about.
        attribute_levels: Text column (``gender`` among them) -> its values.
        segment_names: Segment number -> its name.
        spend: The engine's spend column, if any.
        income: The engine's means column, if any.
    """
    columns: dict[str, str] = {}
    for column in numeric:
        for phrase in _FIELD_WORDS.get(column, ()):
            columns[phrase] = column
        label = labels.get(column, column)
        for name in (column, label, re.sub(r"\s*\(.*?\)\s*", " ", label)):
            phrase = " ".join(re.findall(r"[a-z0-9]+", name.lower()))
            if phrase:
                columns.setdefault(phrase, column)
    if spend:
        for word in ("spend", "spending", "spenders", "spends"):
            columns.setdefault(word, spend)
    if income:
        for word in ("income", "earn", "earners", "salary", "earnings"):
            columns.setdefault(word, income)
    levels: dict[str, tuple[str, str]] = {}
    for column, values in attribute_levels.items():
        for value in values:
            phrase = " ".join(re.findall(r"[a-z0-9]+", str(value).lower()))
            if phrase and not phrase.isdigit():
                levels.setdefault(phrase, (column, str(value)))
            for word in _GENDER_WORDS.get(str(value), ()) if column == "gender" else ():
                levels.setdefault(word, (column, str(value)))
    segments = {name.lower(): number for number, name in segment_names.items() if name}
    return Vocabulary(columns, levels, segments, spend, income)


#: The vocabulary used before a chat has data.
DEFAULT_VOCABULARY = canonical_vocabulary()


def pack(**pairs: object) -> str:
    """Argument text of a data question: ``key=value`` pairs joined by ``;`` (empty ones left
    out), in the order given."""
    return ";".join(f"{k}={v}" for k, v in pairs.items() if v not in (None, ""))


def unpack(args: str) -> dict[str, str]:
    """Read :func:`pack`'s text back (unknown pieces are ignored)."""
    found: dict[str, str] = {}
    for piece in args.split(";"):
        key, equals, value = piece.partition("=")
        if equals and key.strip():
            found[key.strip().lower()] = value.strip()
    return found


def correct_typos(message: str, vocabulary: Vocabulary) -> tuple[str, bool]:
    """Replace misspelt keywords (``segmnets``, ``trget``); return the text and whether any
    word changed. Short words, numbers and common English words are left alone."""
    own = vocabulary.words() - KEYWORDS
    own_by_length = _by_length(own)
    changed = False

    def fix(found: re.Match[str]) -> str:
        nonlocal changed
        word = found.group(0)
        lower = word.lower()
        if lower in _SHORT_FORMS:
            changed = True
            return _SHORT_FORMS[lower]
        if len(lower) < 4 or lower in KEYWORDS or lower in own or lower in _KEEP:
            return word
        close = max((*_closest_keyword(lower), *_closest(lower, own_by_length)), default=None)
        if close is None:
            return word
        changed = True
        return close[1]

    return re.sub(r"[A-Za-z]+", fix, message), changed


def _by_length(words: Iterable[str]) -> dict[int, tuple[str, ...]]:
    """``words`` grouped by length."""
    grouped: dict[int, list[str]] = {}
    for word in words:
        grouped.setdefault(len(word), []).append(word)
    return {size: tuple(sorted(group)) for size, group in grouped.items()}


#: The keywords grouped by length, for :func:`_closest`.
_KEYWORDS_BY_LENGTH = _by_length(KEYWORDS)


@lru_cache(maxsize=8192)
def _closest_keyword(word: str) -> tuple[tuple[float, str], ...]:
    """The keyword closest to ``word`` (see :func:`_closest`), remembered: a message read
    again, or a word typed again, costs nothing."""
    return _closest(word, _KEYWORDS_BY_LENGTH)


def _closest(word: str, grouped: dict[int, tuple[str, ...]]) -> tuple[tuple[float, str], ...]:
    """(similarity, word) of the word in ``grouped`` most like ``word``, if one is close: what
    :func:`difflib.get_close_matches` would pick first, looking only at words of a length
    that can be close enough (a similarity of 0.8 needs lengths within 2:3)."""
    size = len(word)
    matcher = difflib.SequenceMatcher()
    matcher.set_seq2(word)
    best: tuple[float, str] | None = None
    for length in range(-(-2 * size // 3), 3 * size // 2 + 1):
        for candidate in grouped.get(length, ()):
            matcher.set_seq1(candidate)
            if matcher.real_quick_ratio() >= 0.8 and matcher.quick_ratio() >= 0.8:
                ratio = matcher.ratio()
                if ratio >= 0.8 and (best is None or (ratio, candidate) > best):
                    best = (ratio, candidate)
    return () if best is None else (best,)


def _number(word: str | None, default: int) -> int:
    """A count given as digits or a word, capped at :data:`MAX_TOP`."""
    if not word:
        return default
    value = _NUMBER_WORDS.get(word.lower()) or (int(word) if word.isdigit() else default)
    return max(1, min(value, MAX_TOP))


def _find_phrase(message: str, phrases: Iterable[str]) -> str | None:
    """The longest phrase of ``phrases`` present in ``message`` as whole words."""
    lower = message.lower()
    best: str | None = None
    for phrase in phrases:
        if (best is None or len(phrase) > len(best)) and re.search(
            r"(?<![\w-])" + re.escape(phrase) + r"(?![\w-])", lower
        ):
            best = phrase
    return best


def _segment_of(message: str) -> str:
    """``"3"`` for "in segment 3", ``"each"`` for "per segment", else ``""``."""
    found = _SEGMENT_NUMBER.search(message.lower())
    if found:
        return found.group(1)
    if re.search(r"\b(?:per|by|each|every|for all|across|in all)\s+(?:the\s+)?" + _GROUP, message):
        return "each"
    return ""


def _name_segments(message: str, vocabulary: Vocabulary) -> str:
    """Replace a segment's name in ``message`` by ``segment N``."""
    for name in sorted(vocabulary.segments, key=len, reverse=True):
        pattern = r"(?:the\s+)?" + re.escape(name) + r"(?:\s+" + _GROUP + r")?"
        message = re.sub(
            pattern, f"segment {vocabulary.segments[name]}", message, flags=re.IGNORECASE
        )
    return message


_BARE_ID = re.compile(r"^#?(\d{1,12}|[A-Za-z]{1,4}[-_]?\d{2,12})$")
_WHY = re.compile(
    r"^why\b.*\b(?:\d+|"
    + "|".join(_NUMBER_WORDS)
    + r"|these|this|the)\s+"
    + _GROUP
    + r"|^why\s+"
    + _GROUP
    + r"|\bhow\s+(?:was|were|did\s+you|do\s+you|have\s+you)\b.*\b(?:found|find|chosen|choose|"
    r"picked|pick|decided|decide|made|make|split|segment(?:ed)?|come\s+up)\b"
    r"|\bhow\s+(?:was|were)\s+(?:this|these|they|it)\s+found"
    r"|\bwhy\s+(?:so\s+)?(?:many|few)\s+"
    + _GROUP
    + r"|\bexplain\s+(?:the\s+)?(?:method|segmentation|how)",
    re.IGNORECASE,
)
_MEANING = re.compile(
    r"\bwhat\s+(?:does|do|is\s+meant\s+by|is\s+the\s+meaning\s+of)\s+(?:the\s+)?"
    r"(?:column\s+|header\s+|field\s+)?[\"'“‘]?(.+?)[\"'”’]?"
    r"(?:\s+(?:column|header|field))?(?:\s+(?:mean|means|stand\s+for|measure|say))?$"
    r"|\bmeaning\s+of\s+(?:the\s+)?(?:column\s+)?[\"'“‘]?(.+?)[\"'”’]?$"
    r"|^(?:explain|define)\s+(?:the\s+)?(?:column\s+|header\s+)?[\"'“‘]?(.+?)[\"'”’]?$",
    re.IGNORECASE,
)
_REPORT = re.compile(
    r"\b(?:report|pdf|presentation|slides?|slide\s+deck|one[-\s]pager|handout)\b"
    r"|\bsomething\s+(?:for|to\s+show)\s+(?:my|the)\s+(?:boss|manager|board|team)",
    re.IGNORECASE,
)
_EXCEL = re.compile(r"\b(?:excel|xlsx|xls|workbook)\b", re.IGNORECASE)
_UPLOAD_HOW = re.compile(
    r"\b(?:can|could|may|how\s+(?:do|can|should))\s+i\s+(?:upload|send|give|use)\b", re.IGNORECASE
)
_TOP_WORDS = (
    r"top|best|biggest|highest|largest|most\s+valuable|richest|oldest|youngest|lowest|"
    r"bottom|worst|smallest|least\s+valuable|poorest|heaviest|loyalest|most\s+loyal|vip"
)
_TOP = re.compile(
    r"\b(" + _TOP_WORDS + r")\s+(?:(\d{1,3}|" + "|".join(_NUMBER_WORDS) + r")\s+)?"
    r"(?:[a-z]+\s+)?(?:" + _PEOPLE + r"|spenders|earners|shoppers|buyers|by\b)",
    re.IGNORECASE,
)
_WHO_MOST = re.compile(
    r"\bwho\s+(spends?|spent|buys?|bought|earns?|shops?|pays?)\s+(?:the\s+)?(most|least|more|less)"
    r"|\bwho\s+(?:has|have|makes?)\s+(?:the\s+)?(highest|lowest|most|least|biggest)\s+([a-z ]+)",
    re.IGNORECASE,
)
_LOW_WORDS = re.compile(
    r"\b(?:youngest|lowest|bottom|worst|smallest|least|poorest|less)\b", re.IGNORECASE
)
_COUNT = re.compile(
    r"\bhow\s+many\b|\bnumber\s+of\b|\bcount\s+(?:of\s+)?(?:the\s+)?|\bhow\s+big\s+is\b"
    r"|\bsize\s+of\b|\bhow\s+large\s+is\b|\bshare\s+of\b|\bwhat\s+(?:share|percentage|"
    r"proportion|fraction|part)\b|\bpercentage\s+of\b|\bproportion\s+of\b|\bhow\s+much\s+of\b"
    r"|\b(?:total|overall)\s+(?:number\s+of\s+)?" + _PEOPLE,
    re.IGNORECASE,
)
_HOW_MANY_SEGMENTS = re.compile(
    r"\bhow\s+many\s+(?:different\s+)?" + _GROUP + r"(?!\s*\d)\b(?!\s+(?:have|has|are|is)\s+"
    r"(?:more|over|under|above|below))",
    re.IGNORECASE,
)
_STAT_WORDS = {
    "mean": r"average|avg|mean",
    "median": r"median|typical|middle|usual|normal",
    "total": r"total|sum|combined|altogether|overall\s+sum",
}
_HOW_MUCH = re.compile(r"\bhow\s+(?:old|much|rich)\b|\bwhat\s+(?:age|income)\b", re.IGNORECASE)


def understand(text: str, vocabulary: Vocabulary = DEFAULT_VOCABULARY) -> Intent | None:
    """Map a plain message to what it asks for, in English, Russian, Spanish, Portuguese or
    Indonesian (whatever language the chat is set to).

    Args:
        text: The message as typed.
        vocabulary: The chat's column, value and segment names.

    Returns:
        A command (with argument text), a data question (a hidden command: ``count``,
        ``stat``, ``top``, ``meaning``), :data:`DID_YOU_MEAN` with the command to offer, or
        ``None`` when nothing fits.
    """
    message = normalise(text)
    if not message or len(message) > MAX_QUESTION:
        return None
    if not looks_foreign(message):
        found = _understand_english(message, vocabulary)
        if found is None or "=?" in found.args:
            # Maybe another language without its accents ("mediana da renda").
            return _understand_foreign(message, read(message), vocabulary) or found
        return found
    reading = read(message)
    found = _understand_foreign(message, reading, vocabulary)
    if found is not None or reading.deleting:
        return found
    if reading.known:
        # Another language: English rules as typed, its words never "corrected" into English.
        found = _understand(message, vocabulary)
    else:
        found = _understand_english(message, vocabulary)
    if found is None or "=?" in found.args:
        return None  # words of another language taken for a column name
    if found.command in DESTRUCTIVE:
        # English words among another language's ("use 6 segmentos"): offer, never act.
        return Intent(DID_YOU_MEAN, f"{found.command} {found.args}".strip())
    return found


#: Words that make a count a question about customers ("сколько стоит доставка" is not).
_COUNTED = frozenset(["customer", "customers", "people", "women", "men", "total"])
#: Words that make a targeting word a question about whom to target ("нужна скидка на обувь",
#: "¿qué película me recomiendas?" are not).
_WHOM = frozenset(["who", "which", "segment", "segments", "customer", "customers", "we"])


def _understand_foreign(message: str, reading: Reading, vocabulary: Vocabulary) -> Intent | None:
    """A message read word by word as English; a phrasing in another language never reaches
    a command that changes or deletes data, nor one that speaks of deleting anything."""
    english = reading.english
    if reading.deleting or not english or english == message.lower():
        return None
    found = _understand(english, vocabulary)
    if found is None or found.command in DESTRUCTIVE or "=?" in found.args:
        # Words no list knows, read as a column name, are more likely not a question at all.
        return None
    words = set(english.split())
    if found.command == "count" and not found.args and not words & _COUNTED:
        return None
    if found.command == "target" and not words & _WHOM and (found.args or reading.unknown):
        return None
    return found


def _understand_english(message: str, vocabulary: Vocabulary) -> Intent | None:
    """A message read as English, typos corrected (a corrected one never deletes)."""
    as_typed = _understand(message, vocabulary)
    corrected, changed = correct_typos(message, vocabulary)
    if not changed:
        return as_typed or _near_command(message)
    found = _understand(corrected, vocabulary)
    if found is None:
        return as_typed or _near_command(message)
    if found.command in DESTRUCTIVE and found != as_typed:
        # A corrected typo may offer a change, never make one.
        command = f"{found.command} {found.args}".strip()
        return Intent(DID_YOU_MEAN, command)
    return found


def _near_command(message: str) -> Intent | None:
    """A one-word message close to a command's name: offer it."""
    from bot.commands import BY_NAME  # the command table imports this module's users

    word = message.lower().lstrip("/")
    if not re.fullmatch(r"[a-z]{3,20}", word):
        return None
    names = sorted(n for n, entry in BY_NAME.items() if entry.menu and n not in DESTRUCTIVE)
    close = difflib.get_close_matches(word, names, n=2, cutoff=0.6)
    if not close:
        return None
    best = BY_NAME[close[0]].name
    ratio = difflib.SequenceMatcher(None, word, close[0]).ratio()
    others = {BY_NAME[n].name for n in close[1:]} - {best}
    if ratio >= CLEAR_MATCH and not others:
        return Intent(best)
    return Intent(DID_YOU_MEAN, best)


def _understand(message: str, vocabulary: Vocabulary) -> Intent | None:
    """The rules, in order; ``message`` is normalised and maybe corrected."""
    if _BARE_ID.match(message):
        return Intent("whois", message.lstrip("#"))
    message = _name_segments(message, vocabulary)
    lower = message.lower()
    if _WHY.search(message):
        return Intent("why")
    meaning = _MEANING.search(message)
    if meaning and not re.search(r"\b(?:you|we|i)\b", lower[: meaning.start() + 12][-12:]):
        phrase = next(g for g in meaning.groups() if g)
        phrase = re.sub(r"^(?:column|header|field)\s+", "", phrase.strip(), flags=re.I)
        if not re.fullmatch(r"(?:that|this|it|you|segments?|clusters?)", phrase, re.I):
            return Intent("meaning", phrase)
    if _UPLOAD_HOW.search(message):
        return Intent("help")
    if _EXCEL.search(message):
        return Intent("export_xlsx")
    if _REPORT.search(message):
        return Intent("report")
    top = _top(message, vocabulary)
    if top is not None:
        return top
    if _HOW_MANY_SEGMENTS.search(message) and not _SEGMENT_NUMBER.search(lower):
        return Intent("segments")
    stat = _stat(message, vocabulary)
    if stat is not None:
        return stat
    if _COUNT.search(message):
        return _count(message, vocabulary)
    customer = re.search(
        r"\b(?:customer|client|member|shopper)\s+(?:id\s+|number\s+|no\.?\s*|#)?#?"
        r"([A-Za-z]{0,4}[-_]?\d[\w\-]*)\b",
        message,
        re.IGNORECASE,
    )
    if customer and not re.search(r"\b(?:segment|cluster|group)\s+\d", lower):
        return Intent("whois", customer.group(1))
    return match_intent(message)


def _column(message: str, vocabulary: Vocabulary) -> str | None:
    """The numeric column a question names, if any."""
    phrase = _find_phrase(message, vocabulary.columns)
    return vocabulary.columns[phrase] if phrase else None


def _top(message: str, vocabulary: Vocabulary) -> Intent | None:
    """``top 10 by income``, ``who are my best customers``, ``who spends the most``."""
    lower = message.lower()
    found = _TOP.search(message)
    most = _WHO_MOST.search(message)
    if found is None and most is None:
        return None
    if re.search(r"\b" + _GROUP + r"\b(?!\s*\d)", lower) and not re.search(_PEOPLE, lower):
        return None  # "best segment" is a targeting question
    n = _number(found.group(2) if found else None, DEFAULT_TOP)
    low = bool(_LOW_WORDS.search(message))
    by = re.search(
        r"\b(?:by|on|in\s+terms\s+of|for)\s+(?:the\s+)?(?:highest\s+)?([a-z][\w ]*)", lower
    )
    column: str | None = None
    if most is not None and re.match(r"earn", most.group(1) or ""):
        column = vocabulary.income
    if by and column is None:
        column = _column(by.group(1), vocabulary)
    if column is None:
        column = _column(message, vocabulary)
    if column is None and re.search(r"\b(?:richest|poorest|earns?|earned|earners)\b", lower):
        column = vocabulary.income
    if column is None and re.search(r"\b(?:oldest|youngest)\b", lower):
        column = "age" if "age" in vocabulary.columns.values() else None
    if column is None:
        column = vocabulary.spend
    if column is None:
        return Intent("top", pack(n=n, order="low" if low else "high"))
    return Intent(
        "top",
        pack(n=n, column=column, order="low" if low else "high", segment=_segment_of(lower)),
    )


def _stat(message: str, vocabulary: Vocabulary) -> Intent | None:
    """``average income in segment 2``, ``total spend``, ``how old are customers in 3``."""
    lower = message.lower()
    kind = next(
        (k for k, words in _STAT_WORDS.items() if re.search(r"\b(?:" + words + r")\b", lower)),
        None,
    )
    how = _HOW_MUCH.search(message)
    if kind is None and how is None:
        return None
    column = _column(message, vocabulary)
    if column is None and how is not None:
        word = how.group(0).lower()
        if "old" in word or "age" in word:
            column = "age" if "age" in vocabulary.columns.values() else None
        elif "rich" in word or "income" in word:
            column = vocabulary.income
        elif re.search(r"\bspend|\bspent|\bbuy|\bpay", lower):
            column = vocabulary.spend
    if column is None:
        named = re.search(
            r"\b(?:" + "|".join(_STAT_WORDS.values()) + r")\s+(?:of\s+)?(?:the\s+)?([a-z][a-z ]*?)"
            r"(?:\s+(?:in|of|for|per|by|across|among)\b|$)",
            lower,
        )
        wanted = named.group(1).strip() if named else ""
        if (
            not wanted
            or re.match(r"number\b", wanted)
            or re.fullmatch(_PEOPLE + r"|customer|" + _GROUP + r"|one", wanted)
        ):
            return None  # "the typical customer": an overview question
        return Intent(
            "stat", pack(stat=kind or "median", column="?" + wanted, segment=_segment_of(lower))
        )
    return Intent("stat", pack(stat=kind or "median", column=column, segment=_segment_of(lower)))


_RANGE = re.compile(
    r"\b(?P<word>over|above|more\s+than|older\s+than|at\s+least|younger\s+than|under|below|"
    r"less\s+than|fewer\s+than|at\s+most)\s+\$?(?P<value>\d+(?:\.\d+)?)\s*(?P<k>k\b)?",
    re.IGNORECASE,
)
_BELOW_WORDS = ("younger", "under", "below", "less", "fewer", "at most")


def _range(message: str, vocabulary: Vocabulary) -> str:
    """``age>40`` for "customers over 40", ``income<30`` for "earning under 30k", or ``""``."""
    found = _RANGE.search(message)
    if found is None:
        return ""
    word = found.group("word").lower()
    op = "<" if word.startswith(_BELOW_WORDS) else ">"
    before = message[: found.start()].lower()
    after = message[found.end() :].lower()
    column = _column(before + " " + after, vocabulary)
    ages = "age" if "age" in vocabulary.columns.values() else None
    if re.search(r"\b(?:older|younger|years?|aged?)\b", word + " " + after[:12]):
        column = ages
    elif column is None and re.search(r"\bearn|\brich|\bsalar", before + after):
        column = vocabulary.income
    elif column is None and re.search(r"\bspend", before + after):
        column = vocabulary.spend
    elif column is None:
        column = ages  # "customers over 40": the age, as a manager means it
    if column is None:
        return ""
    return f"{column}{op}{found.group('value')}"


def _count(message: str, vocabulary: Vocabulary) -> Intent:
    """``how many women in segment 2``, ``how many customers over 40``, ``how many customers``."""
    phrase = _find_phrase(message, vocabulary.levels)
    where = ""
    if phrase is not None:
        column, value = vocabulary.levels[phrase]
        where = f"{column}:{value}"
    segment = _segment_of(message.lower())
    return Intent("count", pack(segment=segment, where=where, range=_range(message, vocabulary)))
