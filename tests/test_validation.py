"""Rules for what staff type: ID numbers, phones, dates; masking for display."""

import datetime as dt

import pytest

from station.validation import (
    age_on,
    birth_date_from_id,
    gender_from_id,
    id_check_digit,
    mask_id_number,
    mask_name,
    mask_phone,
    normalize_id_number,
    normalize_phone,
    parse_date,
)

TODAY = dt.date(2026, 11, 22)


@pytest.mark.parametrize(
    ("first17", "check"),
    [
        ("11010519491231002", "X"),  # the standard's own example
        ("11010519560302001", "5"),
        ("44030819900101123", "9"),
        ("61011619800715321", "8"),  # worked by hand: 279 mod 11 = 4
    ],
)
def test_check_digit(first17: str, check: str) -> None:
    assert id_check_digit(first17) == check


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("11010519491231002X", "11010519491231002X"),
        ("11010519491231002x", "11010519491231002X"),
        (" 110105 19491231 002X ", "11010519491231002X"),
        ("１１０１０５１９４９１２３１００２Ｘ", "11010519491231002X"),  # full-width, from a phone keyboard
        ("110105195603020015", "110105195603020015"),
    ],
)
def test_valid_id_numbers_are_normalized(typed: str, stored: str) -> None:
    assert normalize_id_number(typed, TODAY) == stored


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("110105194912310021", "校验位"),  # last digit changed
        ("11010519491231002", "18位"),
        ("1101051949123100", "18位"),
        ("110105194902300021", "出生日期不存在"),  # 30 February
        ("110105203001010011", "出生日期不对"),  # born in the future
        ("11010519491231X02X", "只能是数字"),
        ("010105194912310021", "地区码"),
        ("110105491231002", "18位"),  # an old 15-digit number
    ],
)
def test_wrong_id_numbers_say_why(typed: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        normalize_id_number(typed, TODAY)


def test_birth_date_and_gender_come_from_the_id_number() -> None:
    assert birth_date_from_id("11010519491231002X") == dt.date(1949, 12, 31)
    assert gender_from_id("11010519491231002X") == "女"  # 17th digit 2: even
    assert gender_from_id("110105195603020015") == "男"  # 17th digit 1: odd


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("13812341234", "13812341234"),
        ("138 1234 1234", "13812341234"),
        ("138-1234-1234", "13812341234"),
        ("+86 138 1234 1234", "13812341234"),
        ("１３８１２３４１２３４", "13812341234"),
        ("19912341234", "19912341234"),
        ("029-88881234", "029-88881234"),
        ("02988881234", "029-88881234"),
        ("(0731)2288123", "0731-2288123"),
        ("0731-2288123-802", "0731-2288123-802"),
        ("88881234", "88881234"),
    ],
)
def test_valid_phones(typed: str, stored: str) -> None:
    assert normalize_phone(typed) == stored


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("1381234123", "11位"),
        ("138123412345", "11位"),
        ("12812341234", "11位"),
        ("abc", "格式不对"),
        ("2345", "格式不对"),
        ("029-123", "格式不对"),
    ],
)
def test_wrong_phones_say_why(typed: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        normalize_phone(typed)


@pytest.mark.parametrize(
    "typed", ["1956-03-02", "1956-3-2", "1956.3.2", "1956/03/02", "1956年3月2日", "19560302", "１９５６－０３－０２"]
)
def test_dates_in_the_forms_people_write(typed: str) -> None:
    assert parse_date(typed, TODAY) == dt.date(1956, 3, 2)


@pytest.mark.parametrize(("typed", "message"), [
    ("2027-01-01", "晚于今天"), ("1956-02-30", "不存在"), ("三月二日", "格式不对"), ("1800-01-01", "年份"),
])
def test_wrong_dates(typed: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_date(typed, TODAY)


@pytest.mark.parametrize(
    ("birth", "age"), [(dt.date(1956, 3, 2), 70), (dt.date(1956, 11, 22), 70), (dt.date(1956, 11, 23), 69)]
)
def test_age(birth: dt.date, age: int) -> None:
    assert age_on(birth, TODAY) == age


@pytest.mark.parametrize(
    ("name", "masked"), [("张三明", "张*明"), ("张三", "张*"), ("欧阳小明", "欧**明"), ("王", "王")]
)
def test_mask_name(name: str, masked: str) -> None:
    assert mask_name(name) == masked


def test_masks_for_phone_and_id() -> None:
    assert mask_phone("13812341234") == "138****1234"
    assert mask_phone("029-88881234") == "029-****1234"
    assert mask_phone("0731-2288123-802") == "0731-***8123-802"
    assert mask_phone("88881234") == "****1234"
    assert mask_phone(None) == ""
    assert mask_id_number("11010519491231002X") == "110105********002X"


# ------------------------------------------------------------------ properties

from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

birth_dates = st.dates(min_value=dt.date(1900, 1, 1), max_value=TODAY)
id_numbers = st.builds(
    lambda region, birth, sequence: f"{region}{birth:%Y%m%d}{sequence:03d}",
    st.integers(110000, 659999), birth_dates, st.integers(0, 999),
).map(lambda first17: first17 + id_check_digit(first17))


@given(id_numbers)
def test_every_well_formed_id_number_is_accepted(number: str) -> None:
    assert normalize_id_number(number, TODAY) == number
    assert birth_date_from_id(number) <= TODAY


@given(id_numbers, st.integers(0, 16), st.integers(1, 9))
def test_any_single_wrong_digit_is_caught(number: str, position: int, shift: int) -> None:
    wrong_digit = str((int(number[position]) + shift) % 10)
    wrong = number[:position] + wrong_digit + number[position + 1:]
    with pytest.raises(ValueError):
        normalize_id_number(wrong, TODAY)


@given(st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5), min_size=1, max_size=6))
def test_a_masked_name_keeps_its_length_and_ends(name: str) -> None:
    masked = mask_name(name)
    assert len(masked) == len(name) and masked[0] == name[0]
    if len(name) > 2:
        assert masked[-1] == name[-1] and set(masked[1:-1]) == {"*"}
