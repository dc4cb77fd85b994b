"""Residents' rosters (居民花名册) in Excel or WPS: reading, matching columns, importing, exporting.

Stations start from the rosters they keep in spreadsheets ("一栋一表"). A
roster is read with python-calamine (.xlsx, WPS .xls/.et, .ods), its header
row found by the Chinese column names, every row cleaned and checked, and the
result shown before anything is written. The same ``import_roster`` call
makes the preview (in a transaction that is rolled back) and the import (in
one that is committed, with one audit entry), so the preview is exactly what
the import will do.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from db.models import Building, Household, Resident, Unit
from station import access, audit, exports
from station.compound import address, normalize_number, sort_key
from station.residents import (
    LABELS,
    CleanResident,
    ResidentInput,
    ResidentQuery,
    apply,
    check_fields,
    find_ids,
    head_taken,
)
from station.access import require_role
from station.validation import birth_date_from_id, clean, mask_id_number
from station.vocab import CARE_TAGS, HEAD, PARTY_CATEGORIES, ROLES

SUPPORTED_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".et", ".ods")
HEADER_SEARCH_ROWS = 20

# field -> (the header we write, the headers we recognise), in the order of an exported roster.
FIELDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "name": ("姓名", ("姓名", "名字", "居民姓名", "成员姓名", "家庭成员姓名", "户主姓名")),
    # only when the sheet also has a 姓名 column: the head's name, telling who is 户主
    "head_name": ("户主姓名", ("户主姓名", "户主")),
    "gender": ("性别", ("性别",)),
    "birth_date": ("出生日期", ("出生日期", "生日", "出生年月", "出生年月日", "出生时间")),
    "id_number": ("身份证号", ("身份证号", "身份证号码", "公民身份号码", "身份证", "证件号码")),
    "phone": ("电话", ("电话", "手机", "手机号", "手机号码", "联系电话", "联系方式", "电话号码")),
    "building": ("楼栋", ("楼栋", "栋", "楼号", "楼栋号", "幢", "楼")),
    "unit": ("单元", ("单元", "单元号")),
    "room": ("房号", ("房号", "门牌号", "室", "房间号", "户号", "房间")),
    "address": ("住址", ("住址", "地址", "家庭住址", "现住址", "居住地址")),
    "relation": ("与户主关系", ("与户主关系", "关系", "家庭关系", "与户主的关系")),
    "politics": ("政治面貌", ("政治面貌",)),
    "party_category": ("党员类别", ("党员类别", "党员类型")),
    "roles": ("职务", ("职务", "担任职务", "身份")),
    "care_tags": ("人员类别", ("人员类别", "关怀标签", "特殊人群", "关爱对象", "人员类型")),
    "moved_in_on": ("入住日期", ("入住日期", "入住时间", "迁入日期")),
    "note": ("备注", ("备注", "说明")),
}
FIELD_LABELS = {key: label for key, (label, _synonyms) in FIELDS.items()}

NEW, UPDATE, SKIP, ERROR = "新增", "更新", "跳过", "错误"

_RELATIONS = {
    "户主": HEAD, "本人": HEAD, "妻": "配偶", "妻子": "配偶", "夫": "配偶", "丈夫": "配偶", "配偶": "配偶",
    "子": "子女", "女": "子女", "儿子": "子女", "女儿": "子女", "长子": "子女", "次子": "子女", "长女": "子女",
    "次女": "子女", "子女": "子女", "父亲": "父母", "母亲": "父母", "父母": "父母", "岳父": "父母", "岳母": "父母",
    "公公": "父母", "婆婆": "父母", "孙子": "孙子女", "孙女": "孙子女", "外孙": "孙子女", "外孙女": "孙子女",
    "孙子女": "孙子女", "兄": "兄弟姐妹", "弟": "兄弟姐妹", "姐": "兄弟姐妹", "妹": "兄弟姐妹",
    "兄弟姐妹": "兄弟姐妹", "租户": "租户", "租住": "租户", "其他": "其他",
}
_CARE_WORDS = (("独居", "独居老人"), ("特困", "特困老人"), ("低保", "困难户"), ("困难户", "困难户"),
               ("困难家庭", "困难户"), ("残疾", "残疾人"), ("困境儿童", "困境儿童"))
_PARTY_WORDS = ("中共党员", "中共预备党员", "预备党员", "党员", "共产党员")
_CATEGORY_WORDS = (("直管", "直管党员"), ("在职", "在职党员"), ("流动", "流动党员"), ("离休", "离退休党员"),
                   ("退休", "离退休党员"), ("离退休", "离退休党员"))
_NUMBER = r"([0-9A-Za-z]{1,6}|[一二两三四五六七八九十]{1,3})"
_ADDRESS = (
    re.compile(_NUMBER + r"(?:号楼|栋|幢|号)" + _NUMBER + r"(?:单元|单)([0-9A-Za-z]{1,8})(?:室|号|房)?$"),
    re.compile(r"([0-9A-Za-z]{1,6})-([0-9A-Za-z]{1,4})-([0-9A-Za-z]{1,8})$"),
)
_UNIT_ROOM = re.compile(_NUMBER + r"(?:单元|单)([0-9A-Za-z]{1,8})(?:室|号|房)?$")
_NOT_A_PERSON = ("填表人", "审核人", "制表", "填报", "合计", "说明", "备注：", "注：")
_EXCEL_EPOCH = dt.date(1899, 12, 30)


class RosterError(Exception):
    """The file cannot be read as a roster; nothing was changed."""

    def __init__(self, message: str, detail: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.detail = detail


class ImportCancelled(Exception):
    """The worker cancelled a long import; the transaction is rolled back."""


@dataclass(frozen=True)
class Sheet:
    """One worksheet as read: ``rows[i]`` is spreadsheet row i + 1."""

    name: str
    rows: list[list[Any]]


@dataclass
class SheetLayout:
    """Where the header is and which column holds which field.

    ``building`` is the building a sheet stands for ("一栋一表": a sheet
    named 3栋), used when the rows carry no building of their own.
    """

    sheet: Sheet
    header_row: int  # 0-based index into sheet.rows: the last header row; data follows
    columns: dict[str, int]
    building: str = ""
    header_texts: list[str] = field(default_factory=list)  # per column, both rows of a two-row header

    @property
    def headers(self) -> list[str]:
        if self.header_texts:
            return list(self.header_texts)
        row = self.sheet.rows[self.header_row] if self.sheet.rows else []
        return [_text(cell) for cell in row]

    def header_of(self, field_key: str) -> str:
        index = self.columns.get(field_key)
        headers = self.headers
        return headers[index] if index is not None and index < len(headers) else ""


# ------------------------------------------------------------------ reading


def read_workbook(path: Path) -> list[Sheet]:
    """Every sheet of an Excel or WPS file, as values.

    Raises:
        RosterError: not a spreadsheet, damaged, or protected by a password.
    """
    path = Path(path)
    if path.suffix.lower() not in SUPPORTED_SUFFIXES:
        raise RosterError(f"{path.name} 不是本程序能读的表格文件。请选择 Excel、WPS 或 LibreOffice 表格"
                          "（.xlsx、.xls、.et、.ods）；.csv 文件请先在表格软件中另存为 .xlsx。")
    from python_calamine import CalamineWorkbook, PasswordError

    try:
        with open(path, "rb") as file:
            workbook = CalamineWorkbook.from_filelike(file)
            sheets = [
                Sheet(name, workbook.get_sheet_by_name(name).to_python(skip_empty_area=False))
                for name in workbook.sheet_names
            ]
    except PasswordError as error:
        raise RosterError(f"{path.name} 设置了打开密码。请在 Excel 或 WPS 中取消密码，另存后再导入。",
                          str(error)) from error
    except OSError as error:
        raise RosterError(f"无法打开 {path.name}：{error.strerror or error}", str(error)) from error
    except Exception as error:  # calamine raises its own errors for damaged or unknown files
        raise RosterError(
            f"无法读取 {path.name}：文件可能已损坏，或是本程序不认识的格式。"
            "请在 Excel 或 WPS 中打开它，另存为 .xlsx 后再导入。",
            str(error),
        ) from error
    if not any(sheet.rows for sheet in sheets):
        raise RosterError(f"{path.name} 里没有任何内容。")
    return sheets


def _text(value: Any) -> str:
    """A cell as clean text: integral numbers without ".0", dates as 1956-03-02."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        return " ".join(unicodedata.normalize("NFKC", value).split())
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return f"{value:%Y-%m-%d}"
    if isinstance(value, dt.date):
        return f"{value:%Y-%m-%d}"
    return " ".join(unicodedata.normalize("NFKC", str(value)).split())


def _header_key(value: Any) -> str:
    return re.sub(r"[\s*＊:：]", "", _text(value))


def match_columns(headers: Sequence[Any]) -> dict[str, int]:
    """Field -> column index, from the header texts (exact names first, then names containing one)."""
    keys = [_header_key(h) for h in headers]
    columns: dict[str, int] = {}
    taken: set[int] = set()
    # Exact names, the preferred synonym first (姓名 before 户主姓名) ...
    for field_key, (_label, synonyms) in FIELDS.items():
        for synonym in synonyms:
            index = next((i for i, key in enumerate(keys) if key == synonym and i not in taken), None)
            if index is not None:
                columns[field_key] = index
                taken.add(index)
                break
    # ... then short headers that contain a name (联系电话（手机）); a sentence is no header.
    for field_key, (_label, synonyms) in FIELDS.items():
        if field_key in columns or field_key == "head_name":
            continue
        for index, key in enumerate(keys):
            if index not in taken and 0 < len(key) <= 10 and any(s in key for s in synonyms if len(s) > 1):
                columns[field_key] = index
                taken.add(index)
                break
    return columns


def detect_layout(sheet: Sheet) -> SheetLayout | None:
    """Find the header row among the first rows (title rows above it are skipped).

    None when no row has a 姓名 column.
    """
    best: tuple[int, int, dict[str, int]] | None = None
    for index, row in enumerate(sheet.rows[:HEADER_SEARCH_ROWS]):
        columns = match_columns(row)
        if "name" not in columns or len(columns) < 2:
            continue
        if best is None or len(columns) > best[1]:
            best = (index, len(columns), columns)
    if best is None:
        return None
    index, found, columns = best
    headers = [_text(cell) for cell in sheet.rows[index]]
    # A two-row header: 住址 over 栋 / 单元 / 室. The row below names more columns than it holds data.
    if index + 1 < len(sheet.rows):
        below = [_text(cell) for cell in sheet.rows[index + 1]]
        merged = [b or h for h, b in zip(headers + [""] * len(below), below)] + headers[len(below):]
        merged_columns = match_columns(merged)
        if len(merged_columns) > found and not _text(_cell(sheet.rows[index + 1], columns, "name")):
            index, columns, headers = index + 1, merged_columns, merged
    return SheetLayout(sheet, index, columns, building_of_sheet(sheet.name), headers)


_NUMERALS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def chinese_number(text: str) -> str:
    """一 -> 1, 十二 -> 12, 二十三 -> 23; anything else as it is."""
    if not text or any(ch not in _NUMERALS and ch != "十" for ch in text):
        return text
    if "十" not in text:
        return "".join(str(_NUMERALS[ch]) for ch in text)
    tens, _, ones = text.partition("十")
    return str((_NUMERALS[tens] if tens else 1) * 10 + (_NUMERALS[ones] if ones else 0))


def building_of_sheet(name: str) -> str:
    """The building a sheet stands for: 3栋, 2号楼, 十幢 -> 3, 2, 10; other names -> ""."""
    found = re.fullmatch(r"([0-9A-Za-z]{1,6}|[一二两三四五六七八九十]{1,3})(?:号楼|栋|幢|楼|号)", _text(name).replace(" ", ""))
    return normalize_number(chinese_number(found.group(1))) if found else ""


# ------------------------------------------------------------------ one row


@dataclass
class RowResult:
    """What happens to one spreadsheet row."""

    sheet: str
    line: int  # the row number as the spreadsheet shows it
    status: str
    reason: str
    where: str = ""  # "第5行", or "3栋 第5行" when several sheets are imported
    name: str = ""
    place: str = ""
    id_masked: str = ""
    raw: list[Any] = field(default_factory=list)


@dataclass
class ImportResult:
    rows: list[RowResult]
    households_created: int = 0

    def count(self, status: str) -> int:
        return sum(1 for row in self.rows if row.status == status)

    def summary(self) -> str:
        return (f"新增 {self.count(NEW)}, 更新 {self.count(UPDATE)}, "
                f"跳过 {self.count(SKIP)}, 错误 {self.count(ERROR)}")


def _cell(row: Sequence[Any], columns: dict[str, int], key: str) -> Any:
    index = columns.get(key)
    return row[index] if index is not None and index < len(row) else None


def is_masked_id_number(text: str) -> bool:
    """An ID number with digits hidden, as exports and the window show it (110105********0015).

    No real ID number has a ``*`` in it; such a cell says nothing about the number on file.
    """
    return "*" in text


def _agrees(masked: str, id_number: str) -> bool:
    """Whether the digits a masked ID number leaves showing are those of ``id_number``.

    True when nothing is masked, or when the lengths differ (masked some other way: no evidence).
    """
    if not masked or len(masked) != len(id_number):
        return True
    return all(shown in ("*", digit) for shown, digit in zip(masked.upper(), id_number.upper()))


def _id_cell(value: Any) -> tuple[str, str | None]:
    """(ID number text, error). A number of 15+ digits has lost digits in Excel."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if abs(value) >= 1e14:
            return "", ("身份证号在表格里被存成了数字，后几位已经丢失。"
                        "请把这一列设成“文本”格式，重新填写号码后再导入")
        return _text(value), None
    return _text(value).replace(" ", ""), None


def _date_cell(value: Any) -> tuple[str, tuple[int, int] | None]:
    """(date text for parse_date, (year, month) when only those are given).

    Excel serials, and 出生年月 typed as a number (1978.02), are understood.
    """
    if isinstance(value, (dt.date, dt.datetime)):
        return f"{value:%Y-%m-%d}", None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        year = int(value)
        if 1890 <= value < 2100:  # 1978.02 typed into a number cell: a year and a month
            month = round((value - year) * 100)
            return (f"{year}-{month}", (year, month)) if 1 <= month <= 12 else (str(year), None)
        if 1 <= value < 2958466:
            return f"{_EXCEL_EPOCH + dt.timedelta(days=year):%Y-%m-%d}", None
    text = _text(value)
    month_only = re.fullmatch(r"(\d{4})[-./年](\d{1,2})月?", text)
    if month_only:
        return text, (int(month_only.group(1)), int(month_only.group(2)))
    return text, None


def _place(row: Sequence[Any], layout: SheetLayout) -> tuple[str, str, str] | None:
    columns = layout.columns
    building = _text(_cell(row, columns, "building")) or layout.building
    unit = _text(_cell(row, columns, "unit"))
    room = _text(_cell(row, columns, "room"))
    text = _text(_cell(row, columns, "address")).replace(" ", "")
    if text and not (building and unit and room):
        for pattern in _ADDRESS:
            found = pattern.search(text)  # anywhere: "幸福里小区7栋1单元101室"
            if found:
                building, unit, room = found.groups()
                break
        else:
            found = _UNIT_ROOM.search(text)  # "1单元106" on the sheet of a building
            if found and layout.building:
                building, (unit, room) = layout.building, found.groups()
    parts = [normalize_number(chinese_number(re.sub(r"(号楼|栋|幢|楼|单元|室)$", "", part)))
             for part in (building, unit, room)]
    if not all(parts):
        return None
    return parts[0], parts[1], parts[2]


def _relation(value: str, name_header: str) -> str:
    if not value:
        return HEAD if name_header == "户主姓名" else ""
    return _RELATIONS.get(value, "其他")


_NEGATIONS = ("非", "不是", "无", "脱离", "退出", "取消", "已脱")


def _care_tags(*texts: str) -> list[str]:
    """Care tags named in the words of a roster: 低保户 -> 困难户; "已脱离低保" names none."""
    found = set()
    for text in texts:
        for word, tag in (*_CARE_WORDS, *((t, t) for t in CARE_TAGS)):
            start = text.find(word)
            while start >= 0:
                if not any(text[max(0, start - len(n)):start] == n for n in _NEGATIONS):
                    found.add(tag)
                start = text.find(word, start + 1)
    return [tag for tag in CARE_TAGS if tag in found]


def _party(politics: str, category: str) -> tuple[str, str]:
    """(党员类别, remark)."""
    if category:
        match = next((c for c in PARTY_CATEGORIES if c in category), None)
        match = match or next((c for word, c in _CATEGORY_WORDS if word in category), None)
        if match:
            return match, ""
        return category, ""  # words we do not know: check_fields names them
    # 中共党员 or 预备党员 — not 民革党员 or 致公党党员, members of other parties
    if politics in _PARTY_WORDS or politics.startswith("中共"):
        return "直管党员", "党员类别未填，按直管党员记，可在程序中修改"
    return "", ""


@dataclass
class _Parsed:
    data: ResidentInput
    place: tuple[str, str, str] | None
    errors: dict[str, str]
    remarks: list[str]
    given: set[str]  # fields the roster gives a value for
    masked_id: str = ""  # an ID number with digits hidden (110105********0015), not imported


def _parse(row: Sequence[Any], layout: SheetLayout) -> _Parsed:
    columns = layout.columns
    text = {key: _text(row[index]) if index < len(row) else "" for key, index in columns.items()}
    text.update((key, "") for key in FIELDS if key not in text)
    errors: dict[str, str] = {}
    remarks: list[str] = []
    id_number, id_error = _id_cell(_cell(row, columns, "id_number"))
    if id_error:
        errors["id_number"] = id_error
    masked_id = ""
    if is_masked_id_number(id_number):  # an exported list: the number on file stays as it is
        masked_id, id_number = id_number, ""
        remarks.append("身份证号隐去了部分数字，没有导入这一项（已登记的号码不变）")
    birth, month_only = _date_cell(_cell(row, columns, "birth_date"))
    if month_only is not None:
        year, month = month_only
        try:
            from_id: dt.date | None = birth_date_from_id(id_number)
        except ValueError:  # no ID number, or not a valid one: check_fields names it
            from_id = None
        if from_id is not None and (from_id.year, from_id.month) == (year, month):
            birth = f"{from_id:%Y-%m-%d}"  # the ID number gives the day
        else:
            birth = f"{year}-{month}-1"
            remarks.append("出生日期只有年月，按当月1日记")
    moved_in, month_only = _date_cell(_cell(row, columns, "moved_in_on"))
    if month_only is not None:
        moved_in = f"{month_only[0]}-{month_only[1]}-1"
    phones = [p for p in re.split(r"[/／,，、;；]", text["phone"]) if p.strip()]
    if len(phones) > 1:
        text["phone"] = phones[0]
        remarks.append(f"电话有{len(phones)}个，只记了第一个，其余写入备注")
        text["note"] = "；".join([t for t in (text["note"], "其他电话：" + "、".join(phones[1:])) if t])
    party, remark = _party(text["politics"], text["party_category"])
    if remark:
        remarks.append(remark)
    name_header = layout.header_of("name")
    gender = {"男性": "男", "女性": "女"}.get(text["gender"], text["gender"])
    data = ResidentInput(
        name=text["name"],
        household_id=None,
        gender=gender,
        birth_date=birth,
        id_number=id_number,
        phone=text["phone"],
        relation=_relation(text["relation"], name_header)
        or (HEAD if text["head_name"] and text["head_name"] == text["name"] else "其他"),
        party_category=party,
        roles=[role for role in ROLES if role in text["roles"]],
        care_tags=_care_tags(text["care_tags"], text["note"]),
        moved_in_on=moved_in,
        note=text["note"],
    )
    given = {key for key, value in text.items() if value}
    for key in ("party_category", "care_tags", "roles"):
        if getattr(data, key):
            given.add(key)
    if name_header == "户主姓名" or text["head_name"]:
        given.add("relation")
    given.discard("head_name")
    if masked_id:
        given.discard("id_number")
    return _Parsed(data, _place(row, layout), errors, remarks, given, masked_id)


# ------------------------------------------------------------------ importing


def _form_of(resident: Resident) -> ResidentInput:
    """An existing resident as a roster row would give it (to lay the roster's values over)."""
    return ResidentInput(
        name=resident.name,
        household_id=resident.household_id,
        gender=resident.gender,
        birth_date=f"{resident.birth_date:%Y-%m-%d}" if resident.birth_date else "",
        id_number=None,
        phone=resident.phone or "",
        relation=resident.relation,
        party_category=resident.party_category or "",
        roles=[r for r in resident.roles.split(",") if r],
        care_tags=[t for t in resident.care_tags.split(",") if t],
        moved_in_on=f"{resident.moved_in_on:%Y-%m-%d}" if resident.moved_in_on else "",
        note=resident.note,
    )


_COMPARED = ("name", "gender", "birth_date", "id_number", "phone", "household_id", "relation",
             "party_category", "roles", "care_tags", "moved_in_on", "note")


def _changes(resident: Resident, values: CleanResident) -> list[str]:
    changed = []
    for key in _COMPARED:
        if getattr(resident, key) != getattr(values, key):
            changed.append(LABELS.get(key, "住户") if key != "household_id" else "住户")
    return changed


class _Compound:
    """The compound as the import sees it: lookups in memory, households created as needed."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.buildings = {number: bid for bid, number in session.execute(select(Building.id, Building.number))}
        self.units = {(building_id, number): uid for uid, building_id, number in
                      session.execute(select(Unit.id, Unit.building_id, Unit.number))}
        self.households: dict[tuple[str, str, str], int] = {}
        for household_id, building, unit, room in session.execute(
            select(Household.id, Building.number, Unit.number, Household.room)
            .join(Unit, Unit.id == Household.unit_id)
            .join(Building, Building.id == Unit.building_id)
        ):
            self.households[(building, unit, room)] = household_id
        self.created = 0

    def household(self, place: tuple[str, str, str]) -> int:
        existing = self.households.get(place)
        if existing is not None:
            return existing
        # Plain inserts on the connection: adding ORM objects would flush every pending
        # resident each time a household is created.
        building_no, unit_no, room = place
        connection = self.session.connection()
        building_id = self.buildings.get(building_no)
        if building_id is None:
            building_id = self._insert(connection, Building, number=building_no, sort_key=sort_key(building_no),
                                       note="")
            self.buildings[building_no] = building_id
        unit_id = self.units.get((building_id, unit_no))
        if unit_id is None:
            unit_id = self._insert(connection, Unit, building_id=building_id, number=unit_no,
                                   sort_key=sort_key(unit_no))
            self.units[(building_id, unit_no)] = unit_id
        household_id = self._insert(connection, Household, unit_id=unit_id, room=room, room_sort=sort_key(room),
                                    note="")
        self.households[place] = household_id
        self.created += 1
        return household_id

    _statements: dict[Any, Any] = {}

    @classmethod
    def _insert(cls, connection: Any, model: Any, **values: Any) -> int:
        statement = cls._statements.get(model)
        if statement is None:  # one statement per table, compiled once
            statement = cls._statements[model] = insert(model.__table__)
        result = connection.execute(statement, values)
        return int(result.inserted_primary_key[0])


Progress = Callable[[int, int], bool]


def import_roster(session: Session, staff_id: int, layouts: Sequence[SheetLayout], source: str,
                  progress: Progress | None = None, today: dt.date | None = None,
                  preview: bool = False) -> ImportResult:
    """Import the rows of the given sheets into the session's transaction.

    Valid rows are written, wrong ones reported; one audit entry records the
    import. Call it in a transaction that is rolled back, with ``preview=True``
    (which skips the pinyin search keys: they change no outcome), to get a preview.
    ``progress(done, total)`` returning False cancels (raises ImportCancelled).
    """
    require_role(session, staff_id, access.ROSTER, "导入花名册")
    today = today or dt.date.today()
    compound = _Compound(session)
    by_id_number: dict[str, Resident] = {}
    by_name: dict[tuple[str, int], Resident] = {}
    heads: dict[int, tuple[int, str]] = {}
    for resident in session.scalars(select(Resident)):
        if resident.id_number:
            by_id_number[resident.id_number] = resident
        if resident.moved_out_on is None or (resident.name, resident.household_id) not in by_name:
            by_name[(resident.name, resident.household_id)] = resident
        if resident.relation == HEAD and resident.moved_out_on is None:
            heads[resident.household_id] = (resident.id, resident.name)

    total = sum(max(len(layout.sheet.rows) - layout.header_row - 1, 0) for layout in layouts)
    done = 0
    seen: dict[object, tuple[str, Any]] = {}
    results: list[RowResult] = []
    created_ids: list[Resident] = []
    updated_ids: list[int] = []
    for layout in layouts:
        for index in range(layout.header_row + 1, len(layout.sheet.rows)):
            done += 1
            if progress is not None and done % 200 == 0 and not progress(done, total):
                raise ImportCancelled()
            raw = layout.sheet.rows[index]
            line = index + 1
            where = f"第{line}行" if len(layouts) == 1 else f"{layout.sheet.name} 第{line}行"
            result = RowResult(layout.sheet.name, line, SKIP, "", where, raw=list(raw))
            results.append(result)
            if not any(_text(_cell(raw, layout.columns, key)) for key in ("name", "id_number", "phone")):
                first = next((_text(cell) for cell in raw if _text(cell)), "")
                if any(w in first for w in _NOT_A_PERSON):
                    result.reason = "表尾说明"
                elif any(_text(_cell(raw, layout.columns, key)) for key in layout.columns):
                    result.reason = "没有姓名，当作空白的模板行跳过"
                else:
                    result.reason = "空行"
                continue
            parsed = _parse(raw, layout)
            _import_row(session, parsed, result, compound, by_id_number, by_name, heads, seen,
                        created_ids, updated_ids, today, preview)
    session.flush()
    outcome = ImportResult(results, compound.created)
    audit.record(
        session, staff_id, "import", "roster", None,
        f"导入居民花名册 {source}：{outcome.summary()}",
        after={"file": source, "created": [r.id for r in created_ids], "updated": updated_ids,
               "households_created": compound.created},
    )
    if progress is not None:
        progress(total, total)
    return outcome


def _import_row(session: Session, parsed: _Parsed, result: RowResult, compound: _Compound,
                by_id_number: dict[str, Resident], by_name: dict[tuple[str, int], Resident],
                heads: dict[int, tuple[int, str]], seen: dict[object, tuple[str, Any]],
                created: list[Resident], updated: list[int], today: dt.date, preview: bool) -> None:
    data = parsed.data
    result.name = clean(data.name)
    result.place = address(*parsed.place) if parsed.place else ""
    errors = dict(parsed.errors)
    if parsed.place is None:
        errors["household"] = "需要楼栋、单元、房号，或“3栋2单元501”这样的住址"

    # Check the row on its own first; its household is only created when the row is good.
    probe, field_errors = check_fields(data, today)
    for field_key, message in field_errors.items():
        errors.setdefault(field_key, message)
    id_number = probe.id_number if "id_number" not in errors else None
    result.id_masked = mask_id_number(id_number) or parsed.masked_id
    result.name = probe.name or result.name  # as it will be stored (王 小明 is 王小明)
    if "独居老人" in probe.care_tags and probe.birth_date and (today - probe.birth_date).days < 60 * 365:
        probe.care_tags = ",".join(t for t in probe.care_tags.split(",") if t != "独居老人")
        data = dataclasses.replace(data, care_tags=[t for t in data.care_tags if t != "独居老人"])
        parsed.remarks.append("写着独居，但不满60岁，没有标为独居老人")

    person: object = id_number or (result.name, parsed.place)
    if not errors and person in seen:
        where, place = seen[person]
        if place != parsed.place:
            result.status = ERROR
            result.reason = (f"与{where}的身份证号相同，但住址不同（{address(*place)}）："
                             "请核对是哪一个住址")
        else:
            result.reason = f"与{where}是同一人，只导入一次"
        return
    existing_household = compound.households.get(parsed.place) if parsed.place else None
    match = by_id_number.get(id_number) if id_number else None
    if match is None and existing_household is not None:
        match = by_name.get((result.name, existing_household))
        if match is not None and id_number and match.id_number and match.id_number != id_number:
            match = None  # same name, another person
        if match is not None and match.id_number and not _agrees(parsed.masked_id, match.id_number):
            match = None  # the digits left showing are another person's
    if errors:
        result.status, result.reason = ERROR, _reason(errors)
        return

    assert parsed.place is not None
    household_id = compound.household(parsed.place)
    more: dict[str, str] = {}
    if match is None:
        values = dataclasses.replace(probe, household_id=household_id)
    else:
        merged = _form_of(match)
        for name in parsed.given & set(_COMPARED):
            setattr(merged, name, getattr(data, name))
        merged.household_id = household_id
        merged.id_number = id_number if id_number else None
        values, more = check_fields(merged, today, match.id_number, editing=True)
    if values.relation == HEAD and "relation" not in more:
        head = heads.get(household_id)
        if head is not None and (match is None or head[0] != match.id):
            more["relation"] = head_taken(head[1])
    if more:
        result.status, result.reason = ERROR, _reason(more)
        return
    seen[person] = (result.where, parsed.place)
    remarks = "；".join(parsed.remarks)
    if match is None:
        resident = Resident(moved_out_reason="")
        apply(resident, values, with_search_keys=not preview)
        session.add(resident)
        created.append(resident)
        if values.id_number:
            by_id_number[values.id_number] = resident
        by_name[(values.name, household_id)] = resident
        result.status, result.reason = NEW, remarks
    else:
        changed = _changes(match, values)
        if not changed:
            result.reason = "与已登记的信息相同"
            return
        apply(match, values, with_search_keys=not preview)
        updated.append(match.id)
        result.status = UPDATE
        result.reason = "改了：" + "、".join(dict.fromkeys(changed)) + (f"；{remarks}" if remarks else "")
    if values.relation == HEAD:
        heads[household_id] = (match.id if match else -len(created), values.name)


def _reason(errors: dict[str, str]) -> str:
    labels = {**LABELS, **FIELD_LABELS, "household": "住址"}
    return "；".join(f"{labels.get(key, key)}：{message}" for key, message in errors.items())


def layouts_for(sheets: Sequence[Sheet], sheet_name: str | None = None) -> list[SheetLayout]:
    """The sheets to import: the one named, or every sheet that has a roster in it.

    Raises:
        RosterError: the named sheet is missing, or no sheet has a 姓名 column.
    """
    chosen = [s for s in sheets if s.name == sheet_name] if sheet_name else list(sheets)
    if sheet_name and not chosen:
        names = "、".join(s.name for s in sheets)
        raise RosterError(f"没有名为“{sheet_name}”的工作表。这个文件里有：{names}")
    layouts = [layout for layout in map(detect_layout, chosen) if layout is not None]
    if not layouts:
        raise RosterError(f"在前{HEADER_SEARCH_ROWS}行里没有找到表头：至少要有“姓名”一列。")
    return layouts


# ------------------------------------------------------------------ writing


def _workbook() -> Any:
    from openpyxl import Workbook

    return Workbook()


def _save(workbook: Any, path: Path) -> None:
    try:
        workbook.save(path)
    except OSError as error:
        raise RosterError(f"无法保存 {Path(path).name}：{error.strerror or error}。"
                          "文件可能正在 Excel 或 WPS 中打开，或者磁盘已满。", str(error)) from error


def _write_rows(sheet: Any, header: Sequence[str], rows: Iterable[Sequence[Any]],
                text_columns: Iterable[int] = ()) -> None:
    """Rows into a sheet; text columns stay text (phone and ID numbers keep every digit)."""
    from openpyxl.styles import Font

    sheet.append(list(header))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    text_set = set(text_columns)
    for values in rows:
        sheet.append(list(values))
        for column in text_set:
            cell = sheet.cell(row=sheet.max_row, column=column + 1)
            cell.number_format = "@"
    for index, title in enumerate(header):
        letter = sheet.cell(row=1, column=index + 1).column_letter
        sheet.column_dimensions[letter].width = max(8, min(24, len(title) * 2 + 4))
    sheet.freeze_panes = "A2"


EXPORT_FIELDS = ("name", "gender", "birth_date", "id_number", "phone", "building", "unit", "room",
                 "relation", "party_category", "roles", "care_tags", "moved_in_on", "note")


def export_fields(role: str | None) -> tuple[str, ...]:
    """The columns an account of ``role`` may take out: care tags only for roles that may see them."""
    return tuple(key for key in EXPORT_FIELDS if key != "care_tags" or access.allows(role, access.SEE_CARE))


def export_rows(session: Session, query: ResidentQuery, full_id_numbers: bool = False,
                fields: Sequence[str] = EXPORT_FIELDS) -> list[tuple[str, list[Any]]]:
    """(building, row of ``fields``) for the residents the query finds, in its order.

    ID numbers are masked as the window shows them (110105********0015) unless ``full_id_numbers``.
    """
    ids = find_ids(session, query)
    residents = {r.id: r for r in session.scalars(select(Resident).where(Resident.id.in_(ids)))} if ids else {}
    places = dict(
        (household_id, (b, u, room)) for household_id, b, u, room in session.execute(
            select(Household.id, Building.number, Unit.number, Household.room)
            .join(Unit, Unit.id == Household.unit_id).join(Building, Building.id == Unit.building_id)
        )
    )
    rows = []
    for resident_id in ids:
        r = residents[resident_id]
        building, unit, room = places[r.household_id]
        values: dict[str, Any] = {
            "name": r.name, "gender": r.gender, "birth_date": r.birth_date,
            "id_number": (r.id_number if full_id_numbers else mask_id_number(r.id_number)) or "",
            "phone": r.phone or "", "building": building, "unit": unit, "room": room, "relation": r.relation,
            "party_category": r.party_category or "", "roles": r.roles.replace(",", "、"),
            "care_tags": r.care_tags.replace(",", "、"), "moved_in_on": r.moved_in_on, "note": r.note,
        }
        rows.append((building, [values[key] for key in fields]))
    return rows


def export_residents(session: Session, staff_id: int, query: ResidentQuery, path: Path, per_building: bool = False,
                     full_id_numbers: bool = False) -> int:
    """Write the residents the query finds to an .xlsx roster for ``staff_id``; returns how many.

    Needs 录入员 or 管理员 (``access.EXPORT_RESIDENTS``). ID numbers go out masked unless an
    administrator asks for full ones (``access.FULL_ID_NUMBERS``, for reporting upwards); the 人员类别
    (care tags) column only to roles that may see care tags (``access.SEE_CARE``). Phone and ID
    numbers are text cells, so Excel keeps every digit; the file imports back to the same roster (a
    masked ID number keeps the one on file). One 操作记录 row records the export in the session's
    transaction: who, which file, how many residents, which columns.

    Raises:
        ValidationError: the account may not export, or may not take full ID numbers; nothing is written.
        RosterError: the file could not be saved.
    """
    account = require_role(session, staff_id, access.EXPORT_RESIDENTS, "导出居民名单")
    if full_id_numbers:
        require_role(session, staff_id, access.FULL_ID_NUMBERS, "导出完整身份证号")
    fields = export_fields(account.role)
    rows = export_rows(session, query, full_id_numbers, fields)
    workbook = _workbook()
    header = [FIELD_LABELS[key] for key in fields]
    text_columns = [fields.index(key) for key in ("id_number", "phone", "building", "unit", "room")]
    groups: dict[str, list[list[Any]]] = {}
    if per_building:
        for building, row in rows:
            groups.setdefault(f"{building}栋", []).append(row)
    else:
        groups["居民花名册"] = [row for _building, row in rows]
    first = True
    for title, group in (groups or {"居民花名册": []}).items():
        sheet = workbook.active if first else workbook.create_sheet()
        first = False
        sheet.title = title[:31]
        _write_rows(sheet, header, group, text_columns)
        for row in sheet.iter_rows(min_row=2):
            for key in ("birth_date", "moved_in_on"):
                row[fields.index(key)].number_format = "yyyy-mm-dd"
    _save(workbook, path)
    exports.record_export(session, staff_id, "导出居民名单" + ("（含完整身份证号）" if full_id_numbers else ""),
                          path, len(rows), header, unit="人", full_id_numbers=full_id_numbers)
    return len(rows)


def save_rejects(session: Session, staff_id: int, result: ImportResult, layouts: Sequence[SheetLayout],
                 path: Path) -> int:
    """The rows with errors, as they were, with a 错误原因 column, to fix and import again.

    The file holds the rows as the roster gave them (ID numbers and phones included), so it is an
    export like any other: one 操作记录 row in the session's transaction records who saved it, where
    (the file name), how many rows and which columns.

    Raises:
        ValidationError: the account does not exist or is 停用; nothing is written.
        RosterError: the file could not be saved.
    """
    require_role(session, staff_id, access.EVERYONE, "保存错误行")
    workbook = _workbook()
    first = True
    count = 0
    columns: list[str] = []
    for layout in layouts:
        bad = [r for r in result.rows if r.status == ERROR and r.sheet == layout.sheet.name]
        if not bad:
            continue
        sheet = workbook.active if first else workbook.create_sheet()
        first = False
        sheet.title = layout.sheet.name[:31]
        headers = layout.headers
        width = max([len(headers)] + [len(r.raw) for r in bad])
        header = headers + [""] * (width - len(headers)) + ["原表行号", "错误原因"]
        columns.extend(title for title in header if title and title not in columns)
        id_column = layout.columns.get("id_number")
        text_columns = [c for c in (id_column, layout.columns.get("phone")) if c is not None]
        _write_rows(sheet, header, (
            [_keep(v, i in text_columns) for i, v in enumerate(r.raw + [None] * (width - len(r.raw)))]
            + [r.line, r.reason] for r in bad
        ), text_columns)
        count += len(bad)
    if first:
        workbook.active.title = "错误行"
        workbook.active.append(["没有错误行"])
    _save(workbook, path)
    exports.record_export(session, staff_id, "保存花名册错误行", path, count, columns)
    return count


def _keep(value: Any, as_text: bool) -> Any:
    """A cell as it was read; phone and ID numbers as text, unless Excel had already
    damaged them (a number of 15+ digits): those stay numbers, never plausible text."""
    if value == "":
        return None
    if as_text and isinstance(value, (int, float)) and abs(value) < 1e14:
        return _text(value)
    return value

