"""Residents (居民): register, correct, move out and find them.

Each public function that changes data is one staff action: it takes the
session of the caller's transaction and writes its audit row into it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, Select, or_, select
from sqlalchemy.orm import Session

from db.models import Building, Household, Resident, Staff, Unit
from station import audit, points
from station.compound import address, household_label, normalize_number
from station.errors import NotFound, ValidationError
from station.pinyin import search_keys
from station.access import require_role
from station.validation import (
    age_on,
    birth_date_from_id,
    clean,
    clean_text,
    gender_from_id,
    mask_id_number,
    mask_phone,
    normalize_id_number,
    normalize_phone,
    parse_date,
)
from station.vocab import (
    CARE_TAGS,
    GENDERS,
    HEAD,
    LEADER_ROLES,
    PARTY_CATEGORIES,
    RELATIONS,
    ROLES,
    CARE_ROLES,
    STAFF_ROLES,
)

# Field labels, used for messages and for the change history.
LABELS = {
    "name": "姓名",
    "gender": "性别",
    "birth_date": "出生日期",
    "id_number": "身份证号",
    "phone": "电话",
    "household": "住户",
    "relation": "与户主关系",
    "party_category": "党员类别",
    "roles": "职务",
    "care_tags": "关怀标签",
    "moved_in_on": "入住日期",
    "note": "备注",
    "moved_out_on": "迁出日期",
    "moved_out_reason": "迁出原因",
}

_NAME = re.compile(r"[\u3400-\u9fffA-Za-z·•. ]{1,20}")


@dataclass
class ResidentInput:
    """What the resident dialog sends, as typed.

    ``id_number`` None means "leave the stored number as it is" (editing
    without retyping it); an empty string means "no ID number".
    """

    name: str
    household_id: int | None
    gender: str = ""
    birth_date: str = ""
    id_number: str | None = ""
    phone: str = ""
    relation: str = "其他"
    party_category: str = ""
    roles: Sequence[str] = ()
    care_tags: Sequence[str] = ()
    moved_in_on: str = ""
    note: str = ""


@dataclass
class CleanResident:
    name: str
    household_id: int
    gender: str
    birth_date: dt.date | None
    id_number: str | None
    phone: str | None
    relation: str
    party_category: str | None
    roles: str
    care_tags: str
    moved_in_on: dt.date | None
    note: str
    keep_id_number: bool = field(default=False)


def _join(values: Iterable[str], allowed: Sequence[str]) -> str:
    chosen = set(values)
    return ",".join(v for v in allowed if v in chosen)


def _optional_date(value: str, field: str, errors: dict[str, str], today: dt.date) -> dt.date | None:
    """A typed date, or None when left empty; a wrong one is noted in ``errors``."""
    if not clean(value):
        return None
    try:
        return parse_date(value, today)
    except ValueError as error:
        errors[field] = str(error)
        return None


def check_fields(
    data: ResidentInput, today: dt.date, stored_id_number: str | None = None, editing: bool = False
) -> tuple[CleanResident, dict[str, str]]:
    """Field-by-field checks and clean-up that need no database.

    Returns the cleaned values and the errors found (field -> Chinese
    message). The checks against other records (ID number taken, the
    household, its head) are the caller's: one by one in ``_validate``, in
    bulk when a roster is imported.
    """
    errors: dict[str, str] = {}

    name = re.sub(r"\s+", " ", clean(data.name))
    if re.search(r"[\u3400-\u9fff]", name):
        name = name.replace(" ", "")  # 王 小明 is 王小明; spaces only separate Latin names
    if not name:
        errors["name"] = "请填写姓名"
    elif not _NAME.fullmatch(name):
        errors["name"] = "姓名只能是汉字或字母，不超过20个字"

    id_number: str | None = None
    keep_id = data.id_number is None and editing
    if keep_id:
        id_number = stored_id_number
    elif clean(data.id_number):
        try:
            id_number = normalize_id_number(data.id_number or "", today)
        except ValueError as error:
            errors["id_number"] = str(error)

    on_file = "与已登记的身份证号不符；如果身份证号登记错了，请重新填写身份证号" if keep_id else ""
    gender = clean(data.gender)
    if id_number and "id_number" not in errors:
        if not gender:
            gender = gender_from_id(id_number)
        elif gender != gender_from_id(id_number):
            errors["gender"] = on_file.replace("不符", "中的性别不符", 1) if keep_id else "性别与身份证号不符"
    if gender not in GENDERS and "gender" not in errors:
        errors["gender"] = "请选择性别"

    birth = _optional_date(data.birth_date, "birth_date", errors, today)
    if id_number and "id_number" not in errors and "birth_date" not in errors:
        from_id = birth_date_from_id(id_number)
        if birth is None:
            birth = from_id
        elif birth != from_id:
            errors["birth_date"] = f"与身份证号中的出生日期（{from_id:%Y-%m-%d}）不符" + (
                "；如果身份证号登记错了，请重新填写身份证号" if keep_id else "")

    phone: str | None = None
    if clean(data.phone):
        try:
            phone = normalize_phone(data.phone)
        except ValueError as error:
            errors["phone"] = str(error)

    relation = clean(data.relation) or "其他"
    if relation not in RELATIONS:
        errors["relation"] = "请选择与户主关系"

    party = clean(data.party_category) or None
    if party is not None and party not in PARTY_CATEGORIES:
        errors["party_category"] = "党员类别只能是：" + "、".join(PARTY_CATEGORIES)
    roles = _join(data.roles, ROLES)
    if "党员中心户" in roles and party is None:
        errors["roles"] = "党员中心户须是党员"

    moved_in = _optional_date(data.moved_in_on, "moved_in_on", errors, today)
    if moved_in and birth and moved_in < birth:
        errors["moved_in_on"] = "入住日期不能早于出生日期"

    values = CleanResident(
        name=name,
        household_id=data.household_id or 0,
        gender=gender,
        birth_date=birth,
        id_number=id_number if "id_number" not in errors else None,
        phone=phone,
        relation=relation,
        party_category=party,
        roles=roles,
        care_tags=_join(data.care_tags, CARE_TAGS),
        moved_in_on=moved_in,
        note=clean_text(data.note),
        keep_id_number=keep_id,
    )
    return values, errors


def _validate(session: Session, data: ResidentInput, resident: Resident | None) -> CleanResident:
    """All the rules for one resident; raises ValidationError naming each wrong field."""
    values, errors = check_fields(
        data, dt.date.today(), resident.id_number if resident else None, editing=resident is not None
    )
    own_id = resident.id if resident else -1

    if values.id_number and "id_number" not in errors and not values.keep_id_number:
        other = session.execute(
            select(Resident.name, Resident.household_id).where(
                Resident.id_number == values.id_number, Resident.id != own_id
            )
        ).first()
        if other is not None:
            holder = session.get(Household, other.household_id)
            where = household_label(holder) if holder else ""
            errors["id_number"] = f"这个身份证号已登记给 {other.name}（{where}）"

    household = session.get(Household, data.household_id) if data.household_id else None
    if household is None:
        errors["household"] = "请先选择住户；没有的话先新建住户"
    elif values.relation == HEAD and "relation" not in errors:
        head = session.scalar(
            select(Resident.name).where(
                Resident.household_id == household.id,
                Resident.relation == HEAD,
                Resident.moved_out_on.is_(None),
                Resident.id != own_id,
            )
        )
        if head is not None:
            errors["relation"] = head_taken(head)

    if errors:
        raise ValidationError(errors)
    return values


def head_taken(head: str) -> str:
    return f"本户已有户主 {head}，请先修改{head}的与户主关系"


def snapshot(session: Session, resident: Resident) -> dict[str, str]:
    """The resident's fields as the history shows them (ID number masked)."""
    household = session.get(Household, resident.household_id)
    return {
        "name": resident.name,
        "gender": resident.gender,
        "birth_date": f"{resident.birth_date:%Y-%m-%d}" if resident.birth_date else "",
        "id_number": mask_id_number(resident.id_number),
        "phone": resident.phone or "",
        "household": household_label(household) if household else "",
        "relation": resident.relation,
        "party_category": resident.party_category or "",
        "roles": resident.roles,
        "care_tags": resident.care_tags,
        "moved_in_on": f"{resident.moved_in_on:%Y-%m-%d}" if resident.moved_in_on else "",
        "note": resident.note,
        "moved_out_on": f"{resident.moved_out_on:%Y-%m-%d}" if resident.moved_out_on else "",
        "moved_out_reason": resident.moved_out_reason,
    }


def apply(resident: Resident, data: CleanResident, with_search_keys: bool = True) -> None:
    """Put checked values on the record. ``with_search_keys=False`` leaves the pinyin keys
    out, for a preview that is rolled back anyway (they change no outcome)."""
    if with_search_keys and (resident.name != data.name or not resident.name_pinyin):
        resident.name_pinyin = search_keys(data.name)
    resident.name = data.name
    resident.household_id = data.household_id
    resident.gender = data.gender
    resident.birth_date = data.birth_date
    resident.id_number = data.id_number
    resident.phone = data.phone
    resident.relation = data.relation
    resident.party_category = data.party_category
    resident.roles = data.roles
    resident.care_tags = data.care_tags
    resident.moved_in_on = data.moved_in_on
    resident.note = data.note


def add_resident(session: Session, staff_id: int, data: ResidentInput) -> int:
    """新增居民. Raises ValidationError (nothing saved) on wrong input."""
    require_role(session, staff_id, STAFF_ROLES, "登记居民")
    if not sees_care(session, staff_id):
        data = dataclasses.replace(data, care_tags=())
    clean_data = _validate(session, data, None)
    resident = Resident(moved_out_reason="")
    apply(resident, clean_data)
    session.add(resident)
    session.flush()
    audit.record(session, staff_id, "create", "resident", resident.id,
                 f"新增居民 {resident.name}", after=snapshot(session, resident))
    return resident.id


def _get(session: Session, resident_id: int) -> Resident:
    resident = session.get(Resident, resident_id)
    if resident is None:
        raise NotFound("这位居民不存在")
    return resident


def update_resident(session: Session, staff_id: int, resident_id: int, data: ResidentInput) -> bool:
    """修改居民信息. Returns False when nothing changed (and writes nothing)."""
    require_role(session, staff_id, STAFF_ROLES, "修改居民")
    resident = _get(session, resident_id)
    if not sees_care(session, staff_id):  # a role that does not see care tags keeps them as they are
        data = dataclasses.replace(data, care_tags=[t for t in resident.care_tags.split(",") if t])
    clean_data = _validate(session, data, resident)
    before = snapshot(session, resident)
    raw_id_before = resident.id_number
    apply(resident, clean_data)
    session.flush()
    after = snapshot(session, resident)
    if before == after and raw_id_before == resident.id_number:
        return False
    audit.record(session, staff_id, "update", "resident", resident.id,
                 f"修改居民 {resident.name}", before=before, after=after)
    return True


def move_out(session: Session, staff_id: int, resident_id: int, on: str, reason: str) -> None:
    """迁出: mark the resident as moved out; the record and its history stay."""
    require_role(session, staff_id, STAFF_ROLES, "办理迁出")
    resident = _get(session, resident_id)
    if resident.moved_out_on is not None:
        raise ValidationError(f"{resident.name} 已于 {resident.moved_out_on:%Y-%m-%d} 迁出")
    try:
        date = parse_date(on or f"{dt.date.today()}")
    except ValueError as error:
        raise ValidationError({"moved_out_on": str(error)}) from None
    if resident.moved_in_on and date < resident.moved_in_on:
        raise ValidationError({"moved_out_on": "迁出日期不能早于入住日期"})
    before = snapshot(session, resident)
    resident.moved_out_on = date
    resident.moved_out_reason = clean_text(reason)
    session.flush()
    audit.record(session, staff_id, "move_out", "resident", resident.id,
                 f"迁出 {resident.name}", before=before, after=snapshot(session, resident))


def undo_move_out(session: Session, staff_id: int, resident_id: int) -> None:
    """撤销迁出: the resident lives here again."""
    require_role(session, staff_id, STAFF_ROLES, "撤销迁出")
    resident = _get(session, resident_id)
    if resident.moved_out_on is None:
        raise ValidationError(f"{resident.name} 没有迁出")
    if resident.relation == HEAD:
        head = session.scalar(
            select(Resident.name).where(
                Resident.household_id == resident.household_id,
                Resident.relation == HEAD,
                Resident.moved_out_on.is_(None),
            )
        )
        if head is not None:
            raise ValidationError(
                f"本户现在的户主是 {head}。请先把{resident.name}的与户主关系改为其他，再撤销迁出"
            )
    before = snapshot(session, resident)
    resident.moved_out_on = None
    resident.moved_out_reason = ""
    session.flush()
    audit.record(session, staff_id, "undo_move_out", "resident", resident.id,
                 f"撤销迁出 {resident.name}", before=before, after=snapshot(session, resident))


@dataclass(frozen=True)
class ResidentForm:
    """A resident as the edit dialog fills it in (ID number only masked)."""

    id: int
    name: str
    gender: str
    birth_date: str
    id_number_masked: str
    phone: str
    household_id: int
    building_id: int
    unit_id: int
    relation: str
    party_category: str
    roles: tuple[str, ...]
    care_tags: tuple[str, ...]
    moved_in_on: str
    note: str
    moved_out: bool
    address: str
    care_hidden: bool = False  # the viewer's role does not see care tags


def sees_care(session: Session, staff_id: int) -> bool:
    """Whether the account may see residents' care tags (关怀标签)."""
    account = session.get(Staff, staff_id)
    return account is not None and account.active and account.role in CARE_ROLES


def load_form(session: Session, resident_id: int, viewer_id: int | None = None) -> ResidentForm:
    """The resident's full record for the edit dialog (the ID number masked).

    With ``viewer_id`` (the window passes the signed-in account, in a write transaction) the viewing is
    logged, and care tags are left out for a role that does not see them.
    """
    resident = _get(session, resident_id)
    household = resident.household
    hidden = viewer_id is not None and not sees_care(session, viewer_id)
    if viewer_id is not None:
        audit.record(session, viewer_id, "view", "resident", resident.id, f"查看居民完整信息：{resident.name}")
    return ResidentForm(
        id=resident.id,
        name=resident.name,
        gender=resident.gender,
        birth_date=f"{resident.birth_date:%Y-%m-%d}" if resident.birth_date else "",
        id_number_masked=mask_id_number(resident.id_number),
        phone=resident.phone or "",
        household_id=household.id,
        building_id=household.unit.building_id,
        unit_id=household.unit_id,
        relation=resident.relation,
        party_category=resident.party_category or "",
        roles=tuple(r for r in resident.roles.split(",") if r),
        care_tags=() if hidden else tuple(t for t in resident.care_tags.split(",") if t),
        moved_in_on=f"{resident.moved_in_on:%Y-%m-%d}" if resident.moved_in_on else "",
        note=resident.note,
        moved_out=resident.moved_out_on is not None,
        address=household_label(household),
        care_hidden=hidden,
    )


def history(session: Session, resident_id: int) -> list[audit.HistoryItem]:
    """The resident's change history (修改记录), newest first."""
    _get(session, resident_id)
    return audit.history(session, "resident", resident_id, LABELS, shown={"phone": mask_phone})


# ---------------------------------------------------------------- finding residents

# Groups for the filter box: key -> label.
GROUPS: dict[str, str] = {
    "": "全部居民",
    "party": "党员",
    **{f"party:{c}": c for c in PARTY_CATEGORIES},
    "leader": "楼栋长、单元长、网格员",
    **{f"role:{r}": r for r in ROLES},
    "care": "关怀对象（全部）",
    **{f"care:{t}": t for t in CARE_TAGS},
}

SORT_COLUMNS = ("name", "gender", "age", "address", "relation", "phone", "party", "roles", "care", "points",
                "status")



@dataclass(frozen=True)
class ResidentQuery:
    """What the residents tab asks for: search text, place, group, sort."""

    text: str = ""
    building_id: int | None = None
    unit_id: int | None = None
    household_id: int | None = None
    group: str = ""
    include_moved_out: bool = False
    sort: str = "address"
    descending: bool = False


def _households_where(*conditions: ColumnElement[bool]) -> ColumnElement[bool]:
    """Residents whose household matches: a small subquery, so the scan stays on residents."""
    return Resident.household_id.in_(
        select(Household.id)
        .join(Unit, Unit.id == Household.unit_id)
        .join(Building, Building.id == Unit.building_id)
        .where(*conditions)
    )


_ADDRESS_QUERY = re.compile(r"(\w+?)(?:号楼|栋|幢)(?:(\w+?)(?:单元|单)(\w*?)(?:室|号)?)?")


def _place_parts(term: str) -> tuple[str, str, str] | None:
    """(building, unit, room) typed as 3-2-501 or 3栋2单元501; parts may be missing or partial."""
    found = _ADDRESS_QUERY.fullmatch(term)
    if found:
        building, unit, room = found.groups()
        return building, unit or "", room or ""
    parts = term.split("-")
    if "-" in term and 2 <= len(parts) <= 3 and all(p.isalnum() for p in parts if p):
        if len(parts) == 2:
            # "3-2" is a unit; "3-501" (three characters or more) a room of building 3
            return (parts[0], "", parts[1]) if len(parts[1]) >= 3 else (parts[0], parts[1], "")
        return parts[0], parts[1], parts[2]
    return None


def _term_alternatives(term: str) -> list[ColumnElement[bool]]:
    """One search word: a place (3-2-501, 3栋2单元501), digits (phone tail or room), pinyin, or a name.

    A resident matches when any of the returned conditions holds.
    A room narrows as it is typed: "3-2-50" is rooms 50x of building 3 unit 2.
    """
    place = _place_parts(term)
    if place is not None:
        building, unit, room = (normalize_number(part) if part else "" for part in place)
        conditions: list[ColumnElement[bool]] = [Building.number == building]
        if unit:
            conditions.append(Unit.number == unit)
        if room:
            conditions.append(Household.room.like(f"{room}%"))
        return [_households_where(*conditions)]
    if term.isdigit():
        return [Resident.phone.like(f"%{term}"), _households_where(Household.room == normalize_number(term))]
    if term.isascii() and term.isalpha():
        return [(" " + Resident.name_pinyin).like(f"% {term.lower()}%")]
    return [Resident.name.like(f"%{term}%")]


def _filtered(query: ResidentQuery, columns: Sequence[Any]) -> Select[Any]:
    stmt = (
        select(*columns)
        .join(Household, Household.id == Resident.household_id)
        .join(Unit, Unit.id == Household.unit_id)
        .join(Building, Building.id == Unit.building_id)
    )
    if not query.include_moved_out:
        stmt = stmt.where(Resident.moved_out_on.is_(None))
    if query.household_id is not None:
        stmt = stmt.where(Resident.household_id == query.household_id)
    elif query.unit_id is not None:
        stmt = stmt.where(Household.unit_id == query.unit_id)
    elif query.building_id is not None:
        stmt = stmt.where(Unit.building_id == query.building_id)
    group = query.group
    if group == "party":
        stmt = stmt.where(Resident.party_category.is_not(None))
    elif group.startswith("party:"):
        stmt = stmt.where(Resident.party_category == group[6:])
    elif group == "leader":
        stmt = stmt.where(or_(*(Resident.roles.like(f"%{r}%") for r in LEADER_ROLES)))
    elif group.startswith("role:"):
        stmt = stmt.where(Resident.roles.like(f"%{group[5:]}%"))
    elif group == "care":
        stmt = stmt.where(Resident.care_tags != "")
    elif group.startswith("care:"):
        stmt = stmt.where(Resident.care_tags.like(f"%{group[5:]}%"))
    for term in clean(query.text).split():
        stmt = stmt.where(or_(*_term_alternatives(term)))
    return stmt


def _order(query: ResidentQuery) -> list[Any]:
    address_order: list[Any] = [Building.sort_key, Building.number, Unit.sort_key, Unit.number,
                                Household.room_sort, Household.room]
    primary: list[Any]
    if query.sort == "address":
        primary = [c.desc() if query.descending else c for c in address_order]
    else:
        # (empty values last, the column); ascending age is birth date descending.
        keys: dict[str, tuple[Any, Any]] = {
            "name": (None, Resident.name_pinyin),
            "gender": (None, Resident.gender),
            "age": (Resident.birth_date.is_(None), Resident.birth_date),
            "relation": (Resident.relation != HEAD, Resident.relation),
            "phone": (Resident.phone.is_(None), Resident.phone),
            "party": (Resident.party_category.is_(None), Resident.party_category),
            "roles": (Resident.roles == "", Resident.roles),
            "care": (Resident.care_tags == "", Resident.care_tags),
            "points": (None, points.resident_balance_column()),
            "status": (None, Resident.moved_out_on.is_not(None)),
        }
        empty_last, column = keys[query.sort]
        descending = query.descending != (query.sort == "age")
        primary = [] if empty_last is None else [empty_last]
        primary.append(column.desc() if descending else column)
    tail = [] if query.sort == "address" else address_order
    return [*primary, *tail, Resident.relation != HEAD, Resident.id]


def find_ids(session: Session, query: ResidentQuery) -> list[int]:
    """Ids of the residents matching the query, in display order (filtered and sorted in SQL)."""
    if query.sort not in SORT_COLUMNS:
        raise ValueError(f"unknown sort column {query.sort}")
    stmt = _filtered(query, [Resident.id]).order_by(*_order(query))
    return list(session.connection().execute(stmt).scalars().all())


class ResidentFinder:
    """Finds residents for the table as the user types.

    Everyone in the chosen place and group is read once, in display order
    (one sorted query). Names, pinyin keys and phones of everyone are read
    once too, so a keystroke matches them in memory instead of scanning the
    table again; places still go to SQL (they use the indexes). The result is
    the same as ``find_ids``. Call ``invalidate()`` after a change to the records.
    """

    def __init__(self) -> None:
        self._base_query: ResidentQuery | None = None
        self._base_ids: list[int] = []
        self._texts: list[tuple[int, str, str, str]] | None = None  # id, name, " " + pinyin, phone

    def invalidate(self) -> None:
        self._base_query = None
        self._texts = None

    def find(self, session: Session, query: ResidentQuery) -> list[int]:
        base_query = dataclasses.replace(query, text="")
        if base_query != self._base_query:
            self._base_ids = find_ids(session, base_query)
            self._base_query = base_query
        terms = clean(query.text).split()
        if not terms:
            return list(self._base_ids)
        matching: set[int] | None = None
        for term in terms:
            ids = self._matching(session, term)
            matching = ids if matching is None else matching & ids
        assert matching is not None
        return [resident_id for resident_id in self._base_ids if resident_id in matching]

    def _matching(self, session: Session, term: str) -> set[int]:
        """Ids matching one word, as ``_term_alternatives`` defines it."""
        if _place_parts(term) is not None:
            return set(session.connection().execute(
                select(Resident.id).where(or_(*_term_alternatives(term)))).scalars().all())
        texts = self._read_texts(session)
        if term.isdigit():
            in_room = session.connection().execute(
                select(Resident.id).where(_households_where(Household.room == normalize_number(term))))
            return {rid for rid, _name, _keys, phone in texts if phone.endswith(term)} | set(in_room.scalars())
        if term.isascii() and term.isalpha():
            needle = " " + term.lower()
            return {rid for rid, _name, keys, _phone in texts if needle in keys}
        return {rid for rid, name, _keys, _phone in texts if term in name}

    def warm(self, session: Session) -> None:
        """Read the names, keys and phones now (the window is idle), not at the first keystroke."""
        self._read_texts(session)

    def _read_texts(self, session: Session) -> list[tuple[int, str, str, str]]:
        if self._texts is None:
            rows = session.connection().execute(
                select(Resident.id, Resident.name, Resident.name_pinyin, Resident.phone))
            self._texts = [(rid, name, " " + keys, phone or "") for rid, name, keys, phone in rows]
        return self._texts


@dataclass(frozen=True)
class ResidentRow:
    """One line of the residents table, ready to show."""

    id: int
    name: str
    gender: str
    age: int | None
    birth_date: dt.date | None
    address: str
    relation: str
    phone_masked: str
    party_category: str
    roles: str
    care_tags: str
    moved_out_on: dt.date | None
    household_id: int
    points: int  # approved points (积分)


def rows(session: Session, ids: Sequence[int], today: dt.date | None = None,
         hide_care: bool = False) -> dict[int, ResidentRow]:
    """The table rows for these ids (one query); ``hide_care`` leaves care tags out (see ``sees_care``)."""
    today = today or dt.date.today()
    stmt = (
        select(
            Resident.id, Resident.name, Resident.gender, Resident.birth_date, Resident.relation,
            Resident.phone, Resident.party_category, Resident.roles, Resident.care_tags,
            Resident.moved_out_on, Resident.household_id,
            Building.number, Unit.number, Household.room,
        )
        .join(Household, Household.id == Resident.household_id)
        .join(Unit, Unit.id == Household.unit_id)
        .join(Building, Building.id == Unit.building_id)
        .where(Resident.id.in_(list(ids)))
    )
    balances = points.balances(session, "resident", ids)
    result = {}
    for (rid, name, gender, birth, relation, phone, party, roles, care, moved_out, household_id,
         building, unit, room) in session.connection().execute(stmt).all():
        result[rid] = ResidentRow(
            id=rid, name=name, gender=gender, age=age_on(birth, today), birth_date=birth,
            address=address(building, unit, room), relation=relation,
            phone_masked=mask_phone(phone), party_category=party or "",
            roles=roles.replace(",", "、"), care_tags="" if hide_care else care.replace(",", "、"),
            moved_out_on=moved_out, household_id=household_id, points=balances.get(rid, 0),
        )
    return result
