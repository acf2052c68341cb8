"""The kinds of column segbot knows by their English words, as other languages write them.

Personas (:mod:`segmentation.concepts`) and targets (:mod:`segmentation.targeting`) tell a
column's kind from English words in its header: ``Visits per month`` is visits, ``Annual spend``
spending, ``Kidhome`` children. :func:`english_words` gives those words for a header written in
German, French, Spanish, Portuguese, Russian or Indonesian (``Besuche pro Monat`` -> ``visits``,
``Jahresausgaben`` -> ``spend``, ``Количество детей`` -> ``children``), so the same numbers get
the same persona and the same target in every language. The header itself is never changed:
the manager sees their own words.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# English word -> the words of the other languages (matched on lower-case text without accents,
# as whole words unless a pattern says otherwise; ``\w*`` lets German compounds in).
_KINDS: tuple[tuple[str, str], ...] = (
    (
        "cash advance",
        r"\w*bargeld\w*|barabhebung\w*|avance de (?:fonds|tresorerie)|adelantos? de efectivo|"
        r"disposicion(?:es)? de efectivo|saques?|adiantamentos?|снятие наличных|"
        r"наличн\w+ аванс\w*|tarik tunai|penarikan tunai",
    ),
    (
        "recency",
        r"tage seit\w*|recence|jours depuis|recencia|dias desde|давност\w*|"
        r"дней (?:с|после|со)|hari sejak",
    ),
    (
        "tenure",
        r"kunde seit|mitglied seit|\w*zugehorigkeit|anciennete|client depuis|membre depuis|"
        r"antiguedad|cliente desde|socio desde|tempo (?:de|como) (?:casa|cliente)|"
        r"стаж(?! работы)|клиент с|лет с нами|pelanggan sejak|anggota sejak|"
        r"lama (?:berlangganan|menjadi pelanggan|keanggotaan)|masa keanggotaan",
    ),
    (
        "credit limit",
        r"kreditlimit\w*|kreditrahmen|limite de credit|plafond de credit|limite de credito|"
        r"кредитн\w+ лимит\w*|лимит кредит\w*|limit kredit|batas kredit",
    ),
    ("balance", r"kontostand|saldo|solde|баланс\w*|остат(?:ок|ка|ки) на счете"),
    (
        "payments",
        r"\w*zahlung(?:en)?|paiements?|pagos|pagamentos?|платеж\w*|pembayaran",
    ),
    (
        "children",
        r"\w*kinder\w*|\w*haushalt\w*|familiengro\w*|jugendliche\w*|enfants?|menage|"
        r"taille (?:de la|du) famille|hijos|ninos|hogar|adolescentes|"
        r"tamano (?:de la familia|del hogar)|filhos|criancas|tamanho da familia|domicilio|"
        r"дет(?:и|ей|ям|ьми)|детск\w*|ребен(?:ок|ка)|сем(?:ья|ьи|ей)|домохозяйств\w*|подрост\w*|"
        r"anak|keluarga|remaja|rumah tangga|tanggungan",
    ),
    (
        "experience",
        r"\w*erfahrung|experiencia|опыт\w*|стаж работы|pengalaman",
    ),
    (
        "deals",
        r"angebot\w*|rabatt\w*|gutschein\w*|\w*aktion(?:en)?|remises?|"
        r"ofertas?|descuentos?|cupon(?:es)?|promociones|descontos?|cupons|"
        r"promocoes|скидк\w*|купон\w*|акци(?:я|и|ям|й)|промо\w*|diskon|kupon|penawaran",
    ),
    ("web", r"en ligne|en linea|pela internet|онлайн|интернет\w*|сайт\w*|daring"),
    ("catalog", r"katalog\w*|catalogo|каталог\w*"),
    (
        "store",
        r"filiale\w*|ladengeschaft\w*|\w*geschaft\w*|magasins?|tiendas?|lojas?|магазин\w*|toko",
    ),
    ("visits", r"\w*besuch\w*|visites?|visitas?|визит\w*|посещени\w*|kunjungan"),
    (
        "frequency",
        r"haufigkeit|frequenz|transaktion(?:en)?|anzahl (?:der )?(?:kaufe|einkaufe|bestellungen)|"
        r"frequence|nombre d achats|frecuencia|transacciones|numero de compras|"
        r"frequencia|transacoes|частот\w*|транзакци\w*|(?:число|количество) (?:покупок|заказов)|"
        r"frekuensi|transaksi|jumlah (?:pembelian|transaksi)",
    ),
    (
        "spend",
        r"\w*ausgaben\w*|\w*umsatz\w*|\w*kaufe|\w*kaufsumme|depenses?|achats?|montant|ventes|"
        r"chiffre d affaires|gastos?|compras?|importe|monto|ventas|despesas?|vendas|faturamento|"
        r"трат\w*|расход\w*|покуп(?:ки|ок|кам)|выручк\w*|продаж\w*|belanja|pengeluaran|pembelian|"
        r"penjualan",
    ),
    (
        "income",
        r"\w*einkommen\w*|\w*gehalt\w*|revenus?|salaire|ingresos?|salario|renda|rendimentos?|"
        r"доход\w*|зарплат\w*|pendapatan|penghasilan|gaji",
    ),
)
_PATTERNS = tuple((word, re.compile(rf"\b(?:{pattern})\b")) for word, pattern in _KINDS)


@lru_cache(maxsize=4096)
def english_words(label: str) -> str:
    """The English words for the kinds of column ``label`` names in another language.

    ``"besuche pro monat"`` -> ``"visits"``; ``"Jahresausgaben ($)"`` -> ``"spend"``;
    ``"dépenses en vins"`` -> ``"depenses en vins spend"`` (the label without accents comes
    first when it has letters outside ASCII, for the English words it may hold); an English
    label -> ``""``.
    """
    text = _plain(label)
    found = [word for word, pattern in _PATTERNS if pattern.search(text)]
    if any(ch.isalpha() and not ch.isascii() for ch in label):
        found.insert(0, text)
    return " ".join(found)


def _plain(label: str) -> str:
    """Lower-case words, Latin ones without accents (``Nombre d'achats`` -> ``nombre d achats``)."""
    text = unicodedata.normalize("NFC", label.casefold()).replace("ё", "е")
    # Latin letters lose their accents; Cyrillic keeps й, a letter of its own.
    letters = "".join(
        ch
        if ch >= "\u0400"
        else "".join(
            part for part in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(part)
        )
        for ch in text
    )
    return " ".join(re.split(r"[\W_]+", letters)).strip()
