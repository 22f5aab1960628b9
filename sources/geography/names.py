"""The keys a district's or commune's name is matched by.

Reports write one unit many ways: "huyện Mèo Vạc", "Mèo Vạc", "MÈO VẠC", "TP. Lào Cai", "Hoà"/"Hòa", "Phường 01",
"xã Vĩnh Sơn (cũ)". `name_key` drops what varies (the unit word in front, "cũ", case, where the tone mark sits
in oa/oe/uy, spaces, punctuation, leading zeros) and keeps the letters with their marks: "mèovạc". The marks
tell units apart ("Văn Lang" and "Văn Lăng" are two communes of Thái Nguyên), so they are matched first;
`loose_key` drops them too ("meovac") for text typed without them.

The dbt macro `geo_name_key` computes the same keys in SQL (tests/unit/test_geography.py checks that they
agree on every official name and on crafted ones); both use only steps DuckDB's regular expressions (RE2,
without look-behind) can do as well.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

# Vietnamese lower-case letters: a hyphen glued to one ends the name ("Vĩnh Sơn-cho biết", a sentence's dash);
# official names that hold a hyphen write it spaced or before a capital ("Phan Rang - Tháp Chàm").
LOWER = "a-zđàáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ"
WIDE_SPACES = "[\u00a0\u2000-\u200b\u202f\u205f\u3000]"  # no-break and other spaces of web pages
GLUED_TAIL = rf"([^\s-])-[{LOWER}].*$"
# The unit word in front of a name, written out or abbreviated ("tp.", "tx.", "p.").
UNIT_WORD = r"^\s*(?:(?:thành phố|thị xã|thị trấn|đặc khu|huyện|quận|phường|xã|tp)[.\s]+|(?:tx|tt|q|p|h)\.\s*)"
FORMER = r"\s*\(?\s*cũ\s*\)?\s*$"  # "xã Vĩnh Sơn (cũ)": the name of a former unit
LEADING_ZEROS = r"(^|[^0-9])0+([0-9])"  # "Phường 01" is "Phường 1"
NOT_LETTER = rf"[^0-9{LOWER}]+"
# Where the tone mark sits in oa, oe, uy: "hòa" and "hoà" are one word; the key puts it on the second vowel.
TONE_PLACEMENT = (
    ("òa", "oà"), ("óa", "oá"), ("ỏa", "oả"), ("õa", "oã"), ("ọa", "oạ"),
    ("òe", "oè"), ("óe", "oé"), ("ỏe", "oẻ"), ("õe", "oẽ"), ("ọe", "oẹ"),
    ("ùy", "uỳ"), ("úy", "uý"), ("ủy", "uỷ"), ("ũy", "uỹ"), ("ụy", "uỵ"),
)  # fmt: skip


def strip_accents(text: str) -> str:
    """Letters without their marks, as DuckDB's strip_accents gives them, and đ → d."""
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn").replace("đ", "d").replace("Đ", "D")


@cache  # the seeds' generator keys each of ~25,000 names several times
def name_key(name: str | None) -> str | None:
    """The matching key of a unit's name, marks kept ("huyện Mèo Vạc" → "mèovạc"); None when no name is left."""
    if name is None:
        return None
    text = unicodedata.normalize("NFC", name)
    text = re.sub(WIDE_SPACES, " ", text)
    text = re.sub(GLUED_TAIL, r"\1", text)
    text = text.lower()
    text = re.sub(UNIT_WORD, "", text)
    text = re.sub(FORMER, "", text)
    for written, placed in TONE_PLACEMENT:
        text = text.replace(written, placed)
    text = re.sub(LEADING_ZEROS, r"\1\2", text)
    text = re.sub(NOT_LETTER, "", text)
    return text or None


def loose_key(name: str | None) -> str | None:
    """`name_key` without the marks ("meovac"), for names written without them."""
    key = name_key(name)
    return strip_accents(key) if key else None
