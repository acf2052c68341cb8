"""A small deterministic matcher from plain English to the bot's commands.

No language model and no network: a fixed, ordered list of patterns. The first that matches
wins. Anything else is ``None`` and the bot answers with a hint of what it understands.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Intent:
    """What a message asks for: a command name (without ``/``) and its argument text."""

    command: str
    args: str = ""


#: Numbers managers write as words ("top ten", "пять лучших", "los cinco mejores"), per
#: language, lower case; Russian words in the forms a question uses them in.
NUMBER_WORDS_BY_LANGUAGE: dict[str, dict[str, int]] = {
    "en": {
        "one": 1,
        "two": 2,
        "three": 3,
        "four": 4,
        "five": 5,
        "six": 6,
        "seven": 7,
        "eight": 8,
        "nine": 9,
        "ten": 10,
        "twenty": 20,
        "fifty": 50,
        "hundred": 100,
    },
    "ru": {
        "один": 1,
        "одна": 1,
        "одного": 1,
        "одной": 1,
        "два": 2,
        "две": 2,
        "двух": 2,
        "три": 3,
        "трёх": 3,
        "трех": 3,
        "четыре": 4,
        "четырёх": 4,
        "четырех": 4,
        "пять": 5,
        "пяти": 5,
        "шесть": 6,
        "шести": 6,
        "семь": 7,
        "семи": 7,
        "восемь": 8,
        "восьми": 8,
        "девять": 9,
        "девяти": 9,
        "десять": 10,
        "десяти": 10,
        "двадцать": 20,
        "двадцати": 20,
        "пятьдесят": 50,
        "пятидесяти": 50,
        "сто": 100,
    },
    "es": {
        "uno": 1,
        "dos": 2,
        "tres": 3,
        "cuatro": 4,
        "cinco": 5,
        "seis": 6,
        "siete": 7,
        "ocho": 8,
        "nueve": 9,
        "diez": 10,
        "veinte": 20,
        "cincuenta": 50,
        "cien": 100,
    },
    "pt_BR": {
        "um": 1,
        "dois": 2,
        "duas": 2,
        "três": 3,
        "tres": 3,
        "quatro": 4,
        "cinco": 5,
        "seis": 6,
        "sete": 7,
        "oito": 8,
        "nove": 9,
        "dez": 10,
        "vinte": 20,
        "cinquenta": 50,
        "cem": 100,
    },
    "id": {
        "satu": 1,
        "dua": 2,
        "tiga": 3,
        "empat": 4,
        "lima": 5,
        "enam": 6,
        "tujuh": 7,
        "delapan": 8,
        "sembilan": 9,
        "sepuluh": 10,
        "seratus": 100,
    },
}
#: The English number words, which the English rules read.
NUMBER_WORDS = NUMBER_WORDS_BY_LANGUAGE["en"]
# A number of segments in words: two to ten.
_NUMBER_WORDS = {word: n for word, n in NUMBER_WORDS.items() if 2 <= n <= 10}

_GROUP = r"(?:segments?|clusters?|groups?)"
_NUMBER = r"(\d+|" + "|".join(_NUMBER_WORDS) + r")"
_ID = r"#?([\w.@+\-/]+)"

_WHO = r"^(?:who\s*is|who's|whois|find|look\s*up|lookup)\s+"
_CUSTOMER = r"(?:customer|client|member)"

# (pattern, command, which group holds the argument); checked in order, first match wins.
_RULES: tuple[tuple[re.Pattern[str], str, int | None], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), command, group)
    for pattern, command, group in (
        # Customers first: "who is 42" must not read as a segment question.
        (_WHO + r"(?:" + _CUSTOMER + r"\s+|id\s+)*" + _ID + r"$", "whois", 1),
        (r"^" + _CUSTOMER + r"\s+(?:id\s+|number\s+|no\s+)?" + _ID + r"$", "whois", 1),
        (r"\b" + _CUSTOMER + r"\s+(?:id\s+)?#?(\w[\w.\-]*)\s+(?:in|belong)", "whois", 1),
        (r"\bsegment\s+(?:is|for|of)\s+" + _CUSTOMER + r"\s+(?:id\s+)?" + _ID, "whois", 1),
        # The report for people outside the chat: "a report for my boss", "as a pdf".
        (r"\breport\b|\bpdf\b|\bfor\s+my\s+(?:boss|manager|team)\b|\bprint", "report", None),
        # Month over month.
        (r"\b(?:export|download|send|list)\b.*\b(?:moved|movers|changed)\b", "export", None),
        (
            r"\b(?:what|anything)\s+changed\b|\bcompare\b|\bchanges?\b|\bmoved\b"
            r"|\bdifference",
            "compare",
            None,
        ),
        # Targeting for one goal: "who might we lose?", "who should get a discount?".
        (
            r"\b(?:might|could|going\s+to|about\s+to)\s+(?:we\s+)?lose\b|\bwin\s*-?\s*back\b"
            r"|\bchurn|\blapsed?\b|\bslipping\b",
            "target",
            None,
        ),
        (
            r"\bdiscounts?\b|\bvouchers?\b|\bcoupons?\b|\bupsell|\bgrow\b|\bspend\s+more\b",
            "target",
            None,
        ),
        (r"\b(?:keep|retain|reward|protect)\b.*\b(?:best|loyal|top|vip)", "target", None),
        # Targeting.
        (
            r"\btarget|\bfocus\b|\bprioriti|\brecommend|\bbest\s+"
            + _GROUP
            + r"|\bwho\s+should\s+we\b|\bwhich\s+"
            + _GROUP
            + r"\s+should",
            "target",
            None,
        ),
        # Plots.
        (
            r"\b(?:plot|chart|graph|scatter|picture|visuali[sz]e|draw|elbow|profiles?\b)",
            "plot",
            None,
        ),
        # Re-segmenting: "use 6 segments", "try 4 clusters", "split into 3 groups".
        (
            r"^(?:please\s+|can\s+you\s+|i\s+)?(?:use|try|make|want|split\s+(?:them\s+)?into)\s+"
            + _NUMBER
            + r"\s+"
            + _GROUP,
            "k",
            1,
        ),
        (r"\b(?:choose|pick|automatic)\w*\s+(?:k|the\s+number)", "k", None),
        # One segment's customers as a file: "export segment 2", "download cluster 3 as csv".
        (
            r"\b(?:export|download|csv)\b.*\b(?:segment|cluster|group)\s+(?:number\s+|no\.?\s+|#)?"
            r"(\d+)\b|\b(?:segment|cluster|group)\s+(?:number\s+|no\.?\s+|#)?(\d+)\b.*\b(?:export|"
            r"download|csv)\b",
            "export",
            1,
        ),
        # One segment: "segment 3", "tell me about segment 2", "what is cluster 4".
        (r"\b(?:segment|cluster|group)\s+(?:number\s+|no\.?\s+|#)?(\d+)\b", "segment", 1),
        # All segments.
        (
            r"\bhow\s+many\s+"
            + _GROUP
            + r"|\b(?:list|show|what|which|all)\b.*\b"
            + _GROUP
            + r"\b|^"
            + _GROUP
            + r"$|\boverview\b|\bsummary\b|\baverage\b|\btypical\b",
            "segments",
            None,
        ),
        # Data.
        (
            r"\bexport\b|\bdownload\b|\bcsv\b|\bspreadsheet\b|\bexcel\b|\blabell?ed\s+list\b",
            "export",
            None,
        ),
        (r"\b(?:datasets?|uploads?|files?)\b", "datasets", None),
        # Deleting only when plainly asked: "don't forget to ..." is not a request.
        (
            r"^(?:please\s+)?(?:forget|delete|erase|wipe|remove|clear)\b"
            r"(?:\s+(?:all|everything|my|our|the|this|chat's|of|data|uploads?|files?|chat|"
            r"history|it|stored|you\s+stored|please))*$",
            "forget",
            None,
        ),
        # Help and greetings.
        (
            r"\bhelp\b|\bwhat\s+can\s+you\s+do\b|\bhow\s+does\s+this\s+work\b"
            r"|\bcommands?\b|\bhow\s+do\s+i\b",
            "help",
            None,
        ),
        (r"^(?:hi|hello|hey|good\s+(?:morning|afternoon|evening)|start)\b", "start", None),
        (
            r"^(?:(?:great|perfect|ok|okay|cool|nice)[\s,]+)?(?:thanks|thank\s+you|thx|ty|cheers)\b"
            r"|^(?:great|perfect|ok|okay|cool|nice)$",
            "thanks",
            None,
        ),
    )
)


def intent_targets() -> set[str]:
    """Every command a plain question can lead to (each must be in the command table)."""
    return {command for _, command, _ in _RULES}


def normalise(text: str) -> str:
    """Unify quotes and spaces in ``text`` and drop trailing punctuation (case is kept)."""
    text = text.strip().replace("’", "'").replace("‘", "'")
    text = re.sub(r"\s+", " ", text)
    return text.rstrip("?!. ").strip()


def _goal_of(message: str) -> str:
    """The targeting goal a question asks about (``grow``, ``retain``, ``win-back``), or ``""``."""
    if re.search(r"\blose\b|\bwin\s*-?\s*back\b|\bchurn|\blapsed?\b|\bslipping\b", message, re.I):
        return "win-back"
    if re.search(
        r"\bdiscounts?\b|\bvouchers?\b|\bcoupons?\b|\bupsell|\bgrow\b|\bspend\s+more\b",
        message,
        re.I,
    ):
        return "grow"
    if re.search(r"\b(?:keep|retain|reward|protect)\b", message, re.I):
        return "retain"
    return ""


def match_intent(text: str) -> Intent | None:
    """Map a plain-English message to a command.

    Args:
        text: The message as typed.

    Returns:
        The command and its argument text, or ``None`` when nothing matches.
    """
    message = normalise(text)
    if not message:
        return None
    for pattern, command, group in _RULES:
        found = pattern.search(message)
        if found is None:
            continue
        args = ""
        if group is not None:
            args = found.group(group)
            if command == "export":
                args = f"segment {args or found.group(group + 1)}"
            elif command == "k":
                args = str(_NUMBER_WORDS.get(args.lower(), args))
        elif command == "k":
            args = "auto"
        elif command == "export" and re.search(r"\b(?:moved|movers|changed)\b", message, re.I):
            args = "moved"
        elif command == "export" and re.search(r"\b(?:excel|xlsx|spreadsheet)\b", message, re.I):
            args = "xlsx"
        elif command == "target":
            args = _goal_of(message)
        elif command == "plot":
            args = _plot_name(message)
        return Intent(command, args)
    return None


def _plot_name(message: str) -> str:
    """Return which plot a message asks for (``scatter`` by default)."""
    if re.search(r"\b(?:k|elbow|silhouette)\b", message, re.IGNORECASE):
        return "k"
    if re.search(r"\bprofiles?\b", message, re.IGNORECASE):
        return "profile"
    return "scatter"
