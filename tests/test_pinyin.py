"""Pinyin search keys (拼音检索)."""

import pytest

from station.pinyin import search_keys


@pytest.mark.parametrize(
    ("name", "keys"),
    [
        ("张三明", ["zsm", "zhangsanming"]),
        ("欧阳小明", ["oyxm", "ouyangxiaoming"]),
        ("曾小贤", ["zxx", "zengxiaoxian", "cxx", "cengxiaoxian"]),  # surname reading first
        ("单田芳", ["stf", "shantianfang"]),
        ("吕红", ["lh", "lvhong", "luhong"]),
        ("阿依古丽·买买提", ["ayglmmt", "ayigulimaimaiti"]),  # the middle dot is not part of any key
        ("", []),
    ],
)
def test_search_keys(name: str, keys: list[str]) -> None:
    found = search_keys(name).split()
    assert found[: len(keys)] == keys
