"""Pinyin search keys (拼音检索)."""

import pytest

from station.pinyin import search_keys


@pytest.mark.parametrize(
    ("name", "keys"),
    [
        ("张三明", ["zhangsanming", "zsm"]),
        ("欧阳小明", ["ouyangxiaoming", "oyxm"]),
        ("曾小贤", ["zengxiaoxian", "zxx", "cengxiaoxian", "cxx"]),  # surname reading first
        ("单田芳", ["shantianfang", "stf", "dantianfang", "dtf"]),
        ("吕红", ["lvhong", "lh", "luhong"]),
        ("董淑敏", ["dongshumin", "dsm"]),  # no rare readings for ordinary surnames
        ("阿依古丽·买买提", ["ayigulimaimaiti", "ayglmmt"]),  # the middle dot is not part of any key
        ("", []),
    ],
)
def test_search_keys(name: str, keys: list[str]) -> None:
    found = search_keys(name).split()
    assert found == keys
