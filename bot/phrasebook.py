"""Read a question asked in Russian, Spanish, Portuguese or Indonesian as the English the
question rules understand.

Word by word, from small vocabularies of stems: "сколько женщин в сегменте 2?" reads as
"how many women in segment 2", "¿quién es el cliente 42?" as "who is customer 42". The rules
in :mod:`bot.questions` already accept telegraphic English in any word order, so a faithful
word list is enough; filler words (articles, "please", pronouns) are dropped. A word no list
knows stays as it is, so a column or segment name from the chat's own file still matches.

Nothing here can reach a command that changes or deletes data: no list maps a word onto
"forget", "delete", "use", "k", "features" or "columns" (``tests/test_questions.py`` checks
that deleting phrasings in every language reach nothing).
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from functools import cache, lru_cache

#: Phrases read first, longest first: (pattern over the folded message, English).
_PHRASES: tuple[tuple[str, str], ...] = (
    (r"por favor|пожалуйста|tolong", ""),
    # Russian
    (r"что изменилось|что поменялось|что нового", "what changed"),
    (r"оценк\w* трат|оценк\w* расход\w*|индекс\w* трат|балл\w* трат", "spending score"),
    (r"годов\w* доход\w*", "income"),
    (r"кто так(?:ой|ая|ие)|кто это", "who is"),
    (r"на как\w* сегмент\w*", "which segment"),
    (r"старше", "older than"),
    (r"моложе|младше", "younger than"),
    (r"почему|зачем", "why"),
    (r"по сегментам|по каждому сегменту|в каждом сегменте", "per segment"),
    (r"как (?:ты )?наш(?:ёл|ел|ла)|как найдены|как (?:ты )?наход\w*", "how was this found"),
    # Spanish and Portuguese (accents folded)
    (r"que cambio|que ha cambiado|o que mudou|que mudou", "what changed"),
    (r"puntuacion(?: de)? gastos?|pontuacao(?: de)? gastos?|indice de gastos?", "spending score"),
    (r"ingresos? anual(?:es)?|renda anual|salario anual", "income"),
    (r"por que|porque|por qual motivo|porqu[eê]", "why"),
    (r"mayores de|mais velhos? que|maiores de|acima de \d+ anos", "older than"),
    (r"menores de|mais novos? que|mais jovens? que", "younger than"),
    (r"por segmento|en cada segmento|em cada segmento|para cada segmento", "per segment"),
    (
        r"a que segmento|a qual segmento|en que segmento|em que segmento|que segmento",
        "which segment",
    ),
    (
        r"como (?:voce |tu )?(?:se )?(?:encontr\w*|achou|achaste|foram encontrados)",
        "how was this found",
    ),
    # Indonesian
    (r"apa yang berubah|apa yang baru", "what changed"),
    (r"skor belanja|skor pengeluaran", "spending score"),
    (r"pendapatan tahunan|penghasilan tahunan", "income"),
    (r"segmen mana|segmen apa", "which segment"),
    (r"lebih tua dari|di atas umur|berumur di atas|usia di atas", "older than"),
    (r"lebih muda dari|di bawah umur|berumur di bawah|usia di bawah", "younger than"),
    (r"per segmen|tiap segmen|setiap segmen|masing-masing segmen", "per segment"),
    (r"kenapa|mengapa", "why"),
    (r"rata-rata|rerata", "average"),
    (r"laki-laki", "men"),
    (r"bagaimana [\w ]{0,24}ditemukan|cara menemukan", "how was this found"),
    (r"siapa(?= #?\d| pelanggan| anggota)", "who is"),
)

#: Words that carry no meaning for the rules (articles, "please", pronouns …).
_FILLER = frozenset(
    [
        "пожалуйста",
        "мне",
        "мой",
        "моя",
        "мои",
        "моих",
        "наш",
        "наша",
        "наши",
        "наших",
        "нам",
        "нас",
        "а",
        "ли",
        "же",
        "бы",
        "вот",
        "ну",
        "это",
        "этот",
        "эта",
        "эти",
        "у",
        "есть",
        "ещё",
        "еще",
        "el",
        "la",
        "los",
        "las",
        "lo",
        "un",
        "una",
        "unos",
        "unas",
        "de",
        "del",
        "al",
        "mis",
        "mi",
        "nuestros",
        "nuestras",
        "nuestro",
        "nuestra",
        "nos",
        "me",
        "por",
        "favor",
        "se",
        "hay",
        "son",
        "tengo",
        "tenemos",
        "o",
        "os",
        "as",
        "um",
        "uma",
        "uns",
        "umas",
        "do",
        "da",
        "dos",
        "das",
        "meus",
        "minhas",
        "meu",
        "minha",
        "nossos",
        "nossas",
        "nosso",
        "nossa",
        "tenho",
        "temos",
        "favor",
        "yang",
        "tolong",
        "saya",
        "kami",
        "kita",
        "ada",
        "dong",
        "ya",
        "nih",
        "sih",
        "apakah",
        "adalah",
    ]
)

#: Stems (folded, lower case) -> English; the longest stem a word starts with wins. A stem
#: ending in "$" must be the whole word.
_STEMS: dict[str, str] = {
    # Russian
    "сегмент": "segment",
    "кластер": "segment",
    "групп": "segment",
    "покупател": "customer",
    "клиент": "customer",
    "участник": "customer",
    "посетител": "customer",
    "женщин": "women",
    "женск": "women",
    "мужчин": "men",
    "мужск": "men",
    "сколько": "how many",
    "скока$": "how many",
    "средн": "average",
    "медиан": "median",
    "сумм": "total",
    "всего$": "total",
    "итого$": "total",
    "доход": "income",
    "зарплат": "income",
    "заработ": "income",
    "возраст": "age",
    "трат": "spending",
    "расход": "spending",
    "топ$": "top",
    "лучш": "best",
    "самы": "top",
    "кто$": "who",
    "какой$": "which",
    "какая$": "which",
    "какие$": "which",
    "какую$": "which",
    "каком$": "which",
    "какого$": "which",
    "которы": "which",
    "выбрать$": "target",
    "выбираем$": "target",
    "выберем$": "target",
    "нацели": "target",
    "целев": "target",
    "цель$": "target",
    "целью$": "target",
    "таргет": "target",
    "ориентир": "target",
    "фокус": "target",
    "отчёт": "report",
    "отчет": "report",
    "pdf$": "report",
    "помощ": "help",
    "помоги": "help",
    "справк": "help",
    "команд": "help",
    "сравн": "compare",
    "график": "chart",
    "диаграмм": "chart",
    "профил": "profile",
    "эксель": "excel",
    "excel$": "excel",
    "таблиц": "excel",
    "покажи": "show",
    "показать$": "show",
    "расскажи": "tell me about",
    "подробн": "tell me about",
    "привет": "hello",
    "здравств": "hello",
    "спасибо$": "thanks",
    "благодар": "thanks",
    "номер$": "number",
    "numero$": "number",
    "nomor$": "number",
    "escolh": "target",
    "в$": "in",
    "во$": "in",
    "по$": "by",
    "и$": "and",
    "с$": "with",
    "больше$": "above",
    "выше$": "above",
    "меньше$": "below",
    "ниже$": "below",
    "лет$": "years",
    "год$": "years",
    "года$": "years",
    "один$": "one",
    "одного$": "one",
    "два$": "two",
    "две$": "two",
    "три$": "three",
    "четыре$": "four",
    "пять$": "five",
    "шесть$": "six",
    "семь$": "seven",
    "восемь$": "eight",
    "девять$": "nine",
    "десять$": "ten",
    # Spanish (folded)
    "segmento": "segment",
    "cluster": "segment",
    "grupo": "segment",
    "cliente": "customer",
    "miembro": "customer",
    "socio": "customer",
    "mujer": "women",
    "mujeres$": "women",
    "hombre": "men",
    "cuantos$": "how many",
    "cuantas$": "how many",
    "promedio": "average",
    "media$": "average",
    "mediana$": "median",
    "total$": "total",
    "ingreso": "income",
    "salario": "income",
    "sueldo": "income",
    "edad": "age",
    "gasto": "spending",
    "mejores$": "best",
    "mejor$": "best",
    "quien$": "who",
    "quienes$": "who",
    "es$": "is",
    "cual$": "which",
    "cuales$": "which",
    "apunt": "target",
    "dirig": "target",
    "enfoc": "target",
    "objetivo": "target",
    "prioriz": "target",
    "elegir$": "target",
    "informe": "report",
    "reporte": "report",
    "ayuda": "help",
    "compar": "compare",
    "grafic": "chart",
    "perfil": "profile",
    "muestr": "show",
    "mostrar$": "show",
    "hablame$": "tell me about",
    "cuentame$": "tell me about",
    "hola$": "hello",
    "gracias$": "thanks",
    "en$": "in",
    "por$": "by",
    "y$": "and",
    "con$": "with",
    "anos$": "years",
    "uno$": "one",
    "dos$": "two",
    "tres$": "three",
    "cuatro$": "four",
    "cinco$": "five",
    "seis$": "six",
    "siete$": "seven",
    "ocho$": "eight",
    "nueve$": "nine",
    "diez$": "ten",
    # Portuguese (folded)
    "mulher": "women",
    "mulheres$": "women",
    "homens$": "men",
    "homem$": "men",
    "quantos$": "how many",
    "quantas$": "how many",
    "renda": "income",
    "idade": "age",
    "gastos$": "spending",
    "melhores$": "best",
    "quem$": "who",
    "qual$": "which",
    "quais$": "which",
    "focar$": "target",
    "foco$": "target",
    "alvo": "target",
    "relatorio": "report",
    "ajud": "help",
    "mostre$": "show",
    "mostra$": "show",
    "fale$": "tell me about",
    "ola$": "hello",
    "oi$": "hello",
    "obrigad": "thanks",
    "valeu$": "thanks",
    "em$": "in",
    "no$": "in",
    "na$": "in",
    "e$": "is",
    "com$": "with",
    "um$": "one",
    "dois$": "two",
    "duas$": "two",
    "quatro$": "four",
    "sete$": "seven",
    "oito$": "eight",
    "nove$": "nine",
    "dez$": "ten",
    # Indonesian
    "segmen": "segment",
    "kelompok": "segment",
    "pelanggan": "customer",
    "anggota": "customer",
    "konsumen": "customer",
    "pembeli": "customer",
    "perempuan": "women",
    "wanita": "women",
    "pria": "men",
    "berapa$": "how many",
    "median$": "median",
    "jumlah$": "total",
    "pendapatan": "income",
    "penghasilan": "income",
    "gaji": "income",
    "umur": "age",
    "usia": "age",
    "belanja": "spending",
    "pengeluaran": "spending",
    "teratas$": "top",
    "terbaik$": "best",
    "siapa$": "who",
    "mana$": "which",
    "target": "target",
    "sasar": "target",
    "fokus": "target",
    "pilih$": "target",
    "laporan": "report",
    "bantuan$": "help",
    "bantu$": "help",
    "banding": "compare",
    "grafik": "chart",
    "profil": "profile",
    "tampilkan$": "show",
    "tunjukkan$": "show",
    "lihat$": "show",
    "ceritakan$": "tell me about",
    "jelaskan$": "tell me about",
    "halo$": "hello",
    "hai$": "hello",
    "terima$": "thanks",
    "makasih$": "thanks",
    "di$": "in",
    "dan$": "and",
    "dengan$": "with",
    "menurut$": "by",
    "berdasarkan$": "by",
    "tahun$": "years",
    "satu$": "one",
    "dua$": "two",
    "tiga$": "three",
    "empat$": "four",
    "lima$": "five",
    "enam$": "six",
    "tujuh$": "seven",
    "delapan$": "eight",
    "sembilan$": "nine",
    "sepuluh$": "ten",
}

#: Russian plural endings of "customer" and "segment": "покупателей" is "customers".
_RU_PLURAL = re.compile(r"(?:ей|и|ы|ам|ах|ами|ов)$")
#: Spanish, Portuguese and Indonesian plurals of the same nouns.
_PLURAL = re.compile(r"(?:es|s)$")

_LATIN_OR_CYRILLIC = re.compile(r"[^\W\d_]", re.UNICODE)
_FOREIGN = re.compile(
    r"[а-яё]|[áéíóúñãõçâêôà¿¡]|\b(?:segmen|pelanggan|segmento|cliente|clientes|berapa|siapa|"
    r"quien|quem|cuantos|cuantas|quantos|quantas|mujeres|mulheres|hombres|homens|perempuan|"
    r"yang|apa|bagaimana|kenapa|mengapa|tolong|saya|kami|kita)\b",
    re.IGNORECASE,
)


def fold(text: str) -> str:
    """Lower case, accents dropped from Latin letters (Cyrillic kept), ё read as е."""
    text = text.lower().replace("ё", "е")
    decomposed = unicodedata.normalize("NFD", text)
    kept = "".join(ch for ch in decomposed if not unicodedata.combining(ch) or ch == "\u0306")
    return unicodedata.normalize("NFC", kept)


def looks_foreign(message: str) -> bool:
    """Whether ``message`` may be in one of the languages read here (cheap test first)."""
    return bool(_FOREIGN.search(message))


@cache
def _stems() -> tuple[tuple[str, str, bool], ...]:
    """(stem, English, whole word only), longest stem first."""
    items = [(stem.rstrip("$"), english, stem.endswith("$")) for stem, english in _STEMS.items()]
    return tuple(sorted(items, key=lambda item: -len(item[0])))


#: Indonesian verb prefixes ("ditarget", "menyasar"), tried when a word is not known as is.
_ID_PREFIXES = ("meng", "meny", "mem", "men", "me", "di", "ber", "ter")


@lru_cache(maxsize=4096)
def _word(word: str) -> str:
    """One folded word in English, or the word itself when no list knows it."""
    if word in _FILLER:
        return ""
    found = _known(word)
    if found is None and word.isascii():
        for prefix in _ID_PREFIXES:
            if word.startswith(prefix) and len(word) > len(prefix) + 3:
                found = _known(word[len(prefix) :]) or _known("s" + word[len(prefix) :])
                if found is not None:
                    break
    if found is None and len(word) >= 4:
        found = _misspelt(word)
    return word if found is None else found


def _misspelt(word: str) -> str | None:
    """The English of a stem ``word`` is one slip away from ("женшин", "segmnto"), or ``None``."""
    best, score = None, 0.8
    for stem, english, whole in _stems():
        if len(stem) < 5 or stem[0] != word[0]:
            continue
        head = word if whole else word[: len(stem)]
        ratio = difflib.SequenceMatcher(None, head, stem).ratio()
        if ratio >= score and ratio > 0:
            best, score = english, ratio
    return best


def _known(word: str) -> str | None:
    """A word's English from the stems, or ``None``."""
    for stem, english, whole in _stems():
        if (whole and word == stem) or (not whole and word.startswith(stem)):
            if english in ("customer", "segment"):
                cyrillic = "а" <= word[:1] <= "я"
                rest = word[len(stem) :]
                if (cyrillic and _RU_PLURAL.search(rest)) or (
                    not cyrillic and _PLURAL.search(rest)
                ):
                    return english + "s"
            return english
    return None


def to_english(message: str) -> str:
    """``message`` read word by word as the English the question rules understand."""
    text = fold(message)
    text = re.sub(r"[¿¡«»“”\"?!]", " ", text)
    for pattern, english in _PHRASES:
        text = re.sub(rf"(?<!\w)(?:{pattern})(?!\w)", f" {english} ", text)
    words = []
    for token in text.split():
        core = token.strip(".,;:")
        if not core:
            continue
        if not _LATIN_OR_CYRILLIC.search(core) or core.startswith(("#", "/")):
            words.append(core)  # numbers, ids, commands
            continue
        english = _word(core)
        if english:
            words.append(english)
    english = " ".join(words)
    # "los 5 mejores", "10 pelanggan teratas": the rules read "top 5".
    english = re.sub(r"\b(\d{1,3}) (?:(customers?) )?(?:top|best)\b", r"top \1 \2", english)
    english = re.sub(r"\bcustomers? (top|best)\b", r"\1 customers", english)
    return re.sub(r"\s+", " ", english).strip()
