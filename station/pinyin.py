"""Pinyin search keys for names (拼音检索): 张三明 -> "zhangsanming zsm".

pypinyin takes a third of a second to import, so it is loaded on first use
(writing a resident), never at start-up: searching reads the stored keys.
The first key is the full pinyin of the name's usual reading: names sort by it.
"""

from __future__ import annotations

import functools
import unicodedata

# Surnames read otherwise than the character usually is: the surname reading
# first (names sort by it), and the everyday reading too, since people type both.
SURNAME_READINGS = {
    "曾": "zeng", "单": "shan", "解": "xie", "仇": "qiu", "查": "zha", "区": "ou", "朴": "piao",
    "盖": "ge", "乐": "yue", "覃": "qin", "翟": "zhai", "缪": "miao", "召": "shao", "种": "chong",
    "繁": "po", "员": "yun", "秘": "bi", "褚": "chu", "长": "chang", "重": "chong", "隗": "wei",
    "尉": "yu", "宿": "su", "卜": "bu", "薄": "bo", "相": "xiang", "蔺": "lin",
}


@functools.lru_cache(maxsize=65536)
def _pinyin(text: str) -> tuple[str, ...]:
    from pypinyin import Style, lazy_pinyin

    syllables = lazy_pinyin(text, style=Style.NORMAL, errors="default", v_to_u=False)
    return tuple(syllable.lower() for syllable in syllables if syllable.isalnum())


@functools.lru_cache(maxsize=65536)
def search_keys(name: str) -> str:
    """Space-separated search keys: full pinyin and initials, for each reading kept.

    A polyphonic surname gets its surname reading and its everyday one (曾 zeng
    and ceng); ü is written both v and u (吕 lv, lu), as people type either.
    Other characters take their usual reading in context, so 董 is only dong.
    """
    name = unicodedata.normalize("NFKC", name).strip()
    if not name:
        return ""
    # Surname and given name apart: both repeat across a compound, so the cache serves most names.
    usual = [*_pinyin(name[0]), *_pinyin(name[1:])] if len(name) > 1 else list(_pinyin(name))
    variants = [usual]
    surname = SURNAME_READINGS.get(name[0])
    if surname is not None and usual:
        variants = [[surname, *usual[1:]], usual]
    keys: list[str] = []
    for syllables in variants:
        full = "".join(syllables)
        keys.extend([full, "".join(s[0] for s in syllables if s)])
        if "v" in full:
            keys.append(full.replace("v", "u"))
    return " ".join(dict.fromkeys(k for k in keys if k))
