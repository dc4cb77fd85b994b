"""Pinyin search keys for names (拼音检索): 张三明 -> "zsm zhangsanming".

pypinyin takes a third of a second to import, so it is loaded on first use
(writing a resident), never at start-up: searching reads the stored keys.
"""

from __future__ import annotations

import functools
import unicodedata

MAX_VARIANTS = 4

# Surnames read differently from the character's most common reading.
# The surname reading comes first: it is the one names are sorted by.
SURNAME_READINGS = {
    "曾": "zeng", "单": "shan", "解": "xie", "仇": "qiu", "查": "zha", "区": "ou", "朴": "piao",
    "盖": "ge", "乐": "yue", "覃": "qin", "翟": "zhai", "缪": "miao", "召": "shao", "种": "chong",
    "繁": "po", "员": "yun", "秘": "bi", "褚": "chu", "长": "chang", "重": "chong", "隗": "wei",
}


@functools.lru_cache(maxsize=8192)
def _syllables(char: str, heteronym: bool) -> list[str]:
    from pypinyin import Style, pinyin

    readings = pinyin(char, style=Style.NORMAL, heteronym=heteronym, errors="ignore", v_to_u=False)
    if not readings:
        return [char.lower()] if char.isascii() and char.isalnum() else []
    return list(dict.fromkeys(r for r in readings[0] if r))


@functools.lru_cache(maxsize=8192)
def _given_name(text: str) -> list[str]:
    from pypinyin import Style, lazy_pinyin

    syllables = lazy_pinyin(text, style=Style.NORMAL, errors="default", v_to_u=False)
    return [syllable.lower() for syllable in syllables if syllable.isalnum()]


@functools.lru_cache(maxsize=4096)
def search_keys(name: str) -> str:
    """Space-separated search keys: initials and full pinyin of each reading.

    The surname may have several readings (曾 zeng/ceng, 单 shan/dan), so each
    is kept; ü is written both v and u (吕 lv, lu), as people type either.
    """
    name = unicodedata.normalize("NFKC", name).strip()
    if not name:
        return ""
    first = list(_syllables(name[0], heteronym=True)) or [""]
    if name[0] in SURNAME_READINGS:
        first = list(dict.fromkeys([SURNAME_READINGS[name[0]], *first]))
    rest = _given_name(name[1:])
    keys: list[str] = []
    for surname in first[:MAX_VARIANTS]:
        syllables = [surname, *rest]
        full = "".join(syllables)
        initials = "".join(s[0] for s in syllables if s)
        keys.extend([initials, full])
        if "v" in full:
            keys.append(full.replace("v", "u"))
    return " ".join(dict.fromkeys(k for k in keys if k))


