"""Read a question asked in Russian, Spanish, Portuguese or Indonesian as the English the
question rules understand.

Word by word, from a small vocabulary of stems per language: "сколько женщин в сегменте 2?"
reads as "how many women in segment 2", "¿quién es el cliente 42?" as "who is customer 42",
"los cinco mejores clientes" as "best 5 customers". A few multi-word phrases are read first
("что изменилось" -> "what changed"). The rules in :mod:`bot.questions` already accept
telegraphic English in any word order, so a faithful word list is enough; fillers (articles,
"please", pronouns) are dropped and a word no list knows stays as it is.

Which language a Latin-script message is in is guessed from its words, so a word two languages
spell alike ("dos": two in Spanish, "of the" in Portuguese) is read the way its message means
it; the chat's language setting plays no part.

Nothing here can reach a command that changes or deletes data: no list maps a word onto
"forget", "delete", "use", "k", "features" or "columns", and a message that speaks of deleting
("удалить", "borrar", "apagar", "hapus" …) is marked as such (:attr:`Reading.deleting`) so that
it is never read as a question at all.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache, partial

from bot.intents import NUMBER_WORDS_BY_LANGUAGE
from bot.phrasebook.phrases import PHRASES as _PHRASES
from bot.phrasebook.words import WORDS as _WORDS

#: The languages read here, Russian first (the only one in Cyrillic).
LANGUAGES = ("ru", "es", "pt_BR", "id")


#: English adjectives read after "most": "самые богатые" -> "most rich" -> "richest".
_SUPERLATIVES = {
    "rich": "richest",
    "old": "oldest",
    "young": "youngest",
    "poor": "poorest",
    "big": "biggest",
    "high": "highest",
    "low": "lowest",
}
#: Words the question rules read as "the top of a ranking" (see ``_TOP_WORDS`` there).
_RANKS = r"top|best|worst|richest|oldest|youngest|poorest|biggest|most valuable|most loyal"

#: Indonesian affixes, tried when a word is not known as it is ("ditarget", "pelanggannya").
_ID_PREFIXES = ("meng", "meny", "mem", "men", "me", "di", "ber", "ter", "per", "pe")
_ID_SUFFIXES = ("nya", "kan", "lah", "kah", "pun", "mu", "ku")
#: Russian plural endings of "customer" and "segment": "покупателей" is "customers".
_RU_PLURAL = re.compile(r"(?:ей|и|ы|ам|ах|ами|ов)$")
#: Spanish and Portuguese plurals of the same nouns.
_PLURAL = re.compile(r"(?:es|s)$")

_LETTER = re.compile(r"[^\W\d_]")
_CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)
#: Joins the words of a phrase already read as English, so they are not read again.
_SAID = "\x02"
#: Marks of a Spanish or Portuguese message seen before accents are folded away.
_MARKS = {"es": re.compile(r"[ñ¿¡]"), "pt_BR": re.compile(r"[ãõçêô]")}


def fold(text: str) -> str:
    """Lower case, accents dropped from Latin letters (Cyrillic kept), ё read as е."""
    text = text.lower().replace("ё", "е")
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFD", text)
    kept = "".join(ch for ch in decomposed if not unicodedata.combining(ch) or ch == "\u0306")
    return unicodedata.normalize("NFC", kept)


@dataclass(frozen=True)
class _Language:
    """One language's lists, folded."""

    words: dict[str, str]  # whole word -> English ("" drops it, "!" is deleting)
    stems: dict[str, str]  # stem -> English
    longest: int  # the longest stem's length
    phrases: re.Pattern[str]  # every phrase, one named group each
    said: dict[str, str]  # group name -> the phrase's English, joined by _SAID


@cache
def _language(lang: str) -> _Language:
    """A language's lists, read once."""
    words: dict[str, str] = {}
    stems: dict[str, str] = {}
    for line in _WORDS[lang].strip().splitlines():
        english, _, items = line.strip().partition(": ")
        english = "" if english == "-" else english
        for item in items.split():
            if item.endswith("*"):
                stems.setdefault(fold(item[:-1]), english)
            else:
                words.setdefault(fold(item), english)
    for word, n in NUMBER_WORDS_BY_LANGUAGE[lang].items():
        words.setdefault(fold(word), str(n))
    groups: list[str] = []
    said: dict[str, str] = {}
    for number, line in enumerate(_PHRASES[lang].strip().splitlines()):
        english, _, pattern = line.strip().partition(" <= ")
        groups.append(f"(?P<p{number}>{pattern})")
        said[f"p{number}"] = "" if english == "-" else _SAID + english.replace(" ", _SAID)
    phrases = re.compile(r"(?<!\w)(?:" + "|".join(groups) + r")(?!\w)")
    return _Language(words, stems, max(map(len, stems)), phrases, said)


@dataclass(frozen=True)
class Reading:
    """A message read as English.

    Attributes:
        english: The words in English (unknown words kept as they are).
        language: The language the message was read in.
        known: How many of its words the lists know (fillers included).
        unknown: How many words no list knows (numbers and ids not counted).
        deleting: Whether it speaks of deleting, forgetting or clearing something.
    """

    english: str
    language: str
    known: int
    unknown: int
    deleting: bool


def _guess(folded: str, raw: str, tokens: list[str]) -> str:
    """The language a message is most likely in (by how many of its words each one knows)."""
    if _CYRILLIC.search(folded):
        return "ru"
    best, score = "es", -1.0
    for lang in LANGUAGES[1:]:
        table = _language(lang)
        hits = sum(1.0 for token in tokens if token in table.words)
        hits += 0.5 * sum(1 for token in tokens if _stem_of(token, table) is not None)
        mark = _MARKS.get(lang)
        if mark is not None and mark.search(raw):
            hits += 1.5
        if hits > score:
            best, score = lang, hits
    return best


def _stem_of(word: str, table: _Language) -> str | None:
    """The longest stem of ``table`` that ``word`` starts with, or ``None``."""
    for size in range(min(len(word), table.longest), 2, -1):
        if word[:size] in table.stems:
            return word[:size]
    return None


def _known(word: str, table: _Language) -> str | None:
    """A word's English from one language's lists, or ``None``."""
    english = table.words.get(word)
    if english is not None:
        return english
    stem = _stem_of(word, table)
    if stem is None:
        return None
    english = table.stems[stem]
    if english in ("customer", "segment"):
        rest = word[len(stem) :]
        cyrillic = "а" <= word[:1] <= "я"
        if (cyrillic and _RU_PLURAL.search(rest)) or (not cyrillic and _PLURAL.search(rest)):
            return english + "s"
    return english


def _indonesian(word: str, table: _Language) -> str | None:
    """An Indonesian word read without its affixes: "ditarget", "terkaya", "pelanggannya"."""
    for suffix in _ID_SUFFIXES:
        if word.endswith(suffix) and len(word) > len(suffix) + 3:
            found = _known(word[: -len(suffix)], table)
            if found is not None:
                return found
            word = word[: -len(suffix)]
            break
    for prefix in _ID_PREFIXES:
        if word.startswith(prefix) and len(word) > len(prefix) + 2:
            rest = word[len(prefix) :]
            found = _known(rest, table) or (_known("s" + rest, table) if prefix == "meny" else None)
            if found is not None:
                if prefix == "ter" and found in _SUPERLATIVES:
                    return "most " + found
                return found
    return None


@lru_cache(maxsize=8192)
def _word(word: str, lang: str) -> str | None:
    """One folded word in English: its own language's lists first, then the others', then a
    slip of the keyboard; ``None`` when no list knows it."""
    order = (lang, *(other for other in LANGUAGES if other != lang))
    for each in order:
        found = _known(word, _language(each))
        if found is not None:
            return found
    if lang == "id" or word.isascii():
        found = _indonesian(word, _language("id"))
        if found is not None:
            return found
    if len(word) >= 4:
        return _misspelt(word, lang)
    return None


@cache
def _candidates(lang: str) -> dict[str, tuple[tuple[str, str, bool], ...]]:
    """First letter -> (word or stem, English, whole word only) of one language, for typos."""
    table = _language(lang)
    found: dict[str, list[tuple[str, str, bool]]] = {}
    for words, whole in ((table.words, True), (table.stems, False)):
        for text, english in words.items():
            if english and english != "!" and len(text) >= 4 and not english.isdigit():
                found.setdefault(text[0], []).append((text, english, whole))
    return {letter: tuple(items) for letter, items in found.items()}


def _misspelt(word: str, lang: str) -> str | None:
    """The English of a word or stem ``word`` is one slip away from ("женшин", "segmneto",
    "qaul"): one letter wrong, missing, added or two swapped; ``None`` when there is none.
    Never a word of deleting."""
    for text, english, whole in _candidates(lang).get(word[0], ()):
        if whole:
            if _one_slip(word, text, wrong=len(text) >= 6):
                return english
        elif len(text) >= 5 and len(text) - 1 <= len(word) <= len(text) + 5:
            wrong = len(text) >= 6
            if any(_one_slip(word[: len(text) + d], text, wrong) for d in (-1, 0, 1)):
                return english
    return None


def _one_slip(a: str, b: str, wrong: bool = True) -> bool:
    """Whether ``a`` and ``b`` differ by one letter missing or added, two swapped, or (when
    ``wrong``) one letter wrong; a short word is too often another word one letter away."""
    if a == b or abs(len(a) - len(b)) > 1:
        return a == b
    i = 0
    while i < min(len(a), len(b)) and a[i] == b[i]:
        i += 1
    if len(a) == len(b):
        swapped = a[i + 1 : i + 2] == b[i : i + 1] and a[i : i + 1] == b[i + 1 : i + 2]
        return (wrong and a[i + 1 :] == b[i + 1 :]) or (swapped and a[i + 2 :] == b[i + 2 :])
    if len(b) <= 4:
        return False  # "umr" is not "umur"
    if len(a) < len(b):
        return a[i:] == b[i + 1 :]
    return a[i + 1 :] == b[i:]


def _said(said: dict[str, str], found: re.Match[str]) -> str:
    """A phrase's English, in place of the phrase."""
    return f" {said[found.lastgroup or '']} "


def read(message: str) -> Reading:
    """``message`` read word by word as the English the question rules understand."""
    # Portuguese "é" (is) is not "e" (and) once accents are folded away.
    text = fold(re.sub(r"(?<!\w)[éÉ](?!\w)", "eh", message))
    # Ids keep the case they were typed in ("C-0042").
    typed = {fold(token): token for token in re.findall(r"[\w\-]*\d[\w\-]*", message)}
    text = re.sub(r"[¿¡«»“”\"?!,;:()]", " ", text)
    text = re.sub(r"№|(?<!\w)n[º°]", " number ", text)
    text = re.sub(r"[º°ª]", " ", text)
    # "3er", "ke-3", "segmen-segmennya"
    text = re.sub(r"(?<=\d)(?:er|ero|era|ro|ra|do|da|to|ta|o|a)(?!\w)|(?<!\w)ke-?(?=\d)", " ", text)
    text = re.sub(r"(?<!\w)(\w+)-\1", r"\1", text)
    text = re.sub(r"(?<=[а-я])-(?=\d)|(?<=\d)-?(?:й|я|е|м|ом|го|ого|ой)(?!\w)", " ", text)
    raw_tokens = text.split()
    lang = _guess(text, message.lower(), raw_tokens)
    order = (lang, *(other for other in LANGUAGES if other != lang))
    for each in order:
        text = _language(each).phrases.sub(partial(_said, _language(each).said), text)
    deleting = False
    words: list[str] = []
    known = unknown = 0
    for token in text.split():
        core = token.strip(".-")
        if not core:
            continue
        if core.startswith(_SAID):
            words.append(core.replace(_SAID, " ").strip())  # a phrase already in English
            known += 1
            continue
        if not _LETTER.search(core) or core.startswith(("#", "/")):
            words.append(core)  # numbers, ids, commands
            continue
        if core in typed and any(ch.isdigit() for ch in core):
            words.append(typed[core])  # an id such as "C-0042"
            continue
        english = _word(core, lang)
        if english is None:
            unknown += 1
            words.append(core)
            continue
        known += 1
        if english == "!":
            deleting = True
        elif english:
            words.append(english)
    return Reading(_tidy(" ".join(words)), lang, known, unknown, deleting)


#: "самые богатые", "más ricos", "terkaya": "most rich", read as "richest".
_MOST = re.compile(r"\bmost (" + "|".join(_SUPERLATIVES) + r")\b")
#: How the words are put in the order the English rules read them: (pattern, replacement).
_ORDER = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"\bmost (best|top)\b", r"\1"),
        # "los clientes mayores", "клиенты богатые": the oldest, the richest
        (r"\b(customers?) (old|young|rich|poor)\b", r"\2est \1"),
        # "los clientes más ricos", "10 лучших клиентов", "5 pelanggan terbaik"
        (rf"\b(customers?) ({_RANKS})\b", r"\2 \1"),
        (rf"\b(\d{{1,3}}) (customers? )?({_RANKS})\b", r"\3 \1 \2"),
        # "кто больше всех тратит": "who spends most"
        (r"\bwho (most|least) (spend|buys|earns)\b", r"who \2 \1"),
        # "у кого самый высокий доход", "siapa yang penghasilannya paling tinggi"
        (r"\bwho (income|age|score|spending score) (highest|lowest)\b", r"who \2 \1"),
        (r"\bwho (highest|lowest)\b", r"who has the \1"),
        # "кого стоит удержать", "¿a quién conviene retener?": "who should we retain"
        (r"\bwho should\b(?! we)", "who should we"),
        (r"\b(customers?) with (highest|lowest) (\w+)", r"\2 \3 \1"),
        # "cliente con id 77", "y quién es 15", "сколько всего женщин"
        (r"\b(customers?) with (id|number)\b", r"\1 \2"),
        (r"^(?:and|so|then|but) ", ""),
        # "спасибо за помощь", "gracias por la ayuda": thanks, not a call for help
        (r"^thanks (?:by |for )?help$", "thanks"),
        # "¿qué cliente es el 2024?", "total pelanggan kita berapa?"
        (r"\b(customers?) is (?=#?\w*\d)", r"\1 "),
        (r"^(.+) how many$", r"how many \1"),
        (r"^show (?=why\b)", ""),
        (r"\bhow many total\b", "how many"),
        # "в 4 сегменте", "в третьем сегменте", "segmen ketiga": "in segment 3"
        (r"\bin (\d{1,3}) segment\b(?! \d)", r"in segment \1"),
        (r"\bordinal (\d+) (segments?)\b", r"segment \1"),
        (r"\b(segments?) ordinal (\d+)\b", r"segment \2"),
        (r"\bordinal 1\b", "first"),
        (r"\bordinal \d+\b", ""),
        (r"\btotal (women|men)\b", r"number of \1"),
        # "rata-rata pendapatan semua segmen": in each segment
        (r"(?<=\w) all (segments?)\b", r" per \1"),
        # "segmen apa", "какой сегмент лучший": "which best segment"
        (r"\b(segments?) (what|which)\b", r"\2 \1"),
        (r"\b(segments?) (best|top)\b(?! \d)", r"\2 \1"),
        # "с каким сегментом работать в первую очередь": which segment comes first
        (r"\b(?:which|what) (segments?)\b(?=.*\b(?:work|first)\b)", r"which \1 should"),
    )
)


def _tidy(english: str) -> str:
    """Put the words in the order the English rules read them."""
    english = _MOST.sub(lambda found: _SUPERLATIVES[found.group(1)], english)
    for pattern, replacement in _ORDER:
        english = pattern.sub(replacement, english)
    return " ".join(english.split())


def to_english(message: str) -> str:
    """``message`` read word by word as English (see :func:`read`)."""
    return read(message).english


_FOREIGN = re.compile(
    r"[а-яё]|[áéíóúñãõçâêôà¿¡]|\b(?:segmen|pelanggan|segmento|segmentos|cliente|clientes|berapa|"
    r"siapa|quien|quem|cuantos|cuantas|quantos|quantas|mujeres|mulheres|hombres|homens|"
    r"perempuan|yang|apa|bagaimana|kenapa|mengapa|tolong|saya|kami|kita|qual|cual|que|los|las|"
    r"del|por|para|mostre|muestra|ayuda|ajuda|informe|relatorio|laporan|bantuan|tampilkan|"
    r"una|voce|nao|tem|meu|minha|meus|ini|itu|dari|untuk|dengan|bisa|tidak|"
    r"gimana|cara|dong|aja|banget|nggak|enggak|gak|juga|udah|sudah|belum|mau|kasih|hola|gracias|"
    r"cuanto|esta|este|tiene|muy|ola|obrigado|tudo|pra|pro|cade|isso|"
    r"hapus|buang|lupakan|bersihkan|borrar|borra|borre|eliminar|elimina|olvida|limpiar|apagar|"
    r"apaga|apague|excluir|exclui|exclua|esquece|limpar|limpa|zerar|zera|resetea|resetear)\b",
    re.IGNORECASE,
)


def looks_foreign(message: str) -> bool:
    """Whether ``message`` may be in one of the languages read here (a cheap test)."""
    return bool(_FOREIGN.search(message))
