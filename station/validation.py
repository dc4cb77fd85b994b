"""Checks and clean-up of what staff type: ID numbers, phones, dates, names; masking for display."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"

_MOBILE = re.compile(r"1[3-9]\d{9}")
# Area codes: 010 and 02x have three digits, all others four (0731, 0898 ...).
_LANDLINE = re.compile(r"(0[12]\d|0[3-9]\d{2})-?([2-9]\d{6,7})(?:-(\d{1,6}))?")
_LOCAL = re.compile(r"[2-9]\d{6,7}")


def clean(text: str | None) -> str:
    """NFKC-fold (full-width digits and letters) and trim a typed value."""
    if text is None:
        return ""
    return unicodedata.normalize("NFKC", str(text)).strip()


def clean_text(text: str | None) -> str:
    """Trim free text (notes, reasons) but keep Chinese punctuation as typed."""
    return "" if text is None else str(text).strip()


def id_check_digit(first17: str) -> str:
    """The check digit (校验码) of an ID number's first 17 digits (GB 11643)."""
    total = sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def normalize_id_number(value: str, today: dt.date | None = None) -> str:
    """Return the 18-character ID number (居民身份证号码), upper-case X.

    Raises:
        ValueError: with a Chinese message saying what is wrong.
    """
    text = re.sub(r"\s", "", clean(value)).upper()
    if len(text) != 18:
        raise ValueError(f"身份证号应为18位，现在是{len(text)}位")
    if not text[:17].isdigit() or not (text[17].isdigit() or text[17] == "X"):
        raise ValueError("身份证号只能是数字，最后一位可以是X")
    if text[0] not in "123456789":
        raise ValueError("身份证号的地区码不对")
    try:
        birth = dt.date(int(text[6:10]), int(text[10:12]), int(text[12:14]))
    except ValueError:
        raise ValueError("身份证号中的出生日期不存在") from None
    if birth > (today or dt.date.today()) or birth.year < 1890:
        raise ValueError("身份证号中的出生日期不对")
    if id_check_digit(text[:17]) != text[17]:
        raise ValueError("身份证号校验位不对，请核对每一位")
    return text


def birth_date_from_id(id_number: str) -> dt.date:
    """The birth date written in a valid ID number."""
    return dt.date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))


def gender_from_id(id_number: str) -> str:
    """男 or 女, from the ID number's 17th digit (odd for men)."""
    return "男" if int(id_number[16]) % 2 else "女"


def normalize_phone(value: str) -> str:
    """Return a Chinese mobile (11 digits) or landline (e.g. 029-88881234) number.

    Raises:
        ValueError: with a Chinese message.
    """
    text = clean(value)
    text = re.sub(r"[\s()（）]", "", text).replace("—", "-").replace("－", "-")
    if text.startswith("+86"):
        text = text[3:]
    elif text.startswith("0086"):
        text = text[4:]
    digits = text.replace("-", "")
    if _MOBILE.fullmatch(digits):
        return digits
    match = _LANDLINE.fullmatch(text)
    if match:
        area, number, extension = match.groups()
        return f"{area}-{number}" + (f"-{extension}" if extension else "")
    if _LOCAL.fullmatch(digits):
        return digits
    if digits.isdigit() and digits.startswith("1"):
        raise ValueError("手机号应为11位，以13～19开头")
    raise ValueError("电话号码格式不对，手机填11位，座机如 029-88881234")


_DATE_PATTERNS = (
    re.compile(r"(\d{4})[-./年](\d{1,2})[-./月](\d{1,2})日?"),
    re.compile(r"(\d{4})(\d{2})(\d{2})"),
)


def parse_date(value: str, today: dt.date | None = None, allow_future: bool = False,
               example: str = "1956-03-02") -> dt.date:
    """Parse 1956-03-02, 1956.3.2, 1956/3/2, 1956年3月2日 or 19560302.

    Raises:
        ValueError: with a Chinese message.
    """
    text = clean(value)
    for pattern in _DATE_PATTERNS:
        match = pattern.fullmatch(text)
        if match:
            try:
                date = dt.date(*(int(part) for part in match.groups()))
            except ValueError:
                raise ValueError("日期不存在，请检查月份和日") from None
            if not allow_future and date > (today or dt.date.today()):
                raise ValueError("日期不能晚于今天")
            if date.year < 1890:
                raise ValueError("年份不对")
            return date
    raise ValueError(f"日期格式不对，例如 {example}")


def age_on(birth: dt.date | None, today: dt.date | None = None) -> int | None:
    """Age in whole years on ``today``."""
    if birth is None:
        return None
    today = today or dt.date.today()
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def mask_name(name: str) -> str:
    """张三明 -> 张*明, 张三 -> 张*, 欧阳小明 -> 欧**明 (for public notices)."""
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def mask_phone(phone: str | None) -> str:
    """13812341234 -> 138****1234; 029-88881234 -> 029-****1234 (an extension stays)."""
    if not phone:
        return ""
    if len(phone) == 11 and phone.isdigit():
        return f"{phone[:3]}****{phone[-4:]}"
    parts = phone.split("-")
    if len(parts) >= 2 and parts[0].startswith("0"):
        number = parts[1]
        return "-".join([parts[0], "*" * max(len(number) - 4, 0) + number[-4:], *parts[2:]])
    return "*" * max(len(phone) - 4, 0) + phone[-4:]


def mask_id_number(id_number: str | None) -> str:
    """110101199003071234 -> 110101********1234."""
    if not id_number:
        return ""
    return id_number[:6] + "*" * (len(id_number) - 10) + id_number[-4:]
