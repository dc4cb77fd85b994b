"""The compound's structure (小区 → 楼栋 → 单元 → 户): buildings, units and households."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import Building, Household, Resident, Unit
from station import audit
from station.errors import NotFound, ValidationError
from station.access import require_role
from station.validation import clean, clean_text, mask_phone
from station.vocab import HEAD, STAFF_ROLES

_BUILDING_SUFFIX = re.compile(r"(号楼|号|栋|幢|楼)$")
_UNIT_SUFFIX = re.compile(r"(单元|单)$")
_ROOM_SUFFIX = re.compile(r"(室|号|房)$")
_NUMBER = re.compile(r"[0-9A-Za-z]{1,8}")


def _number(value: str, suffix: re.Pattern[str]) -> str:
    """3号楼 -> 3, 2单元 -> 2, 0501室 -> 501: the number as the compound writes it."""
    return normalize_number(suffix.sub("", clean(value).replace(" ", "")))


def building_number(text: str) -> str:
    """3号楼, 3栋 or 03 -> 3: a building's number as stored."""
    return _number(text, _BUILDING_SUFFIX)


def normalize_number(text: str) -> str:
    """Upper-case letters; digits without leading zeros (0501 and 501 are one room)."""
    text = text.upper()
    return str(int(text)) if text.isdigit() else text


def sort_key(number: str) -> int:
    """Numeric order for "2" < "10"; letters after numbers."""
    digits = re.match(r"\d+", number)
    return int(digits.group()) if digits else 1_000_000 + (ord(number[0]) if number else 0)


def address(building: str, unit: str, room: str) -> str:
    """The address as stations write it: 3栋2单元501."""
    return f"{building}栋{unit}单元{room}"


def room_code(building: str, unit: str, room: str) -> str:
    """The short form typed at the desk: 3-2-501."""
    return f"{building}-{unit}-{room}"


def _check_numbers(building: str, unit: str, room: str) -> None:
    errors = {}
    if not _NUMBER.fullmatch(building):
        errors["building"] = "楼栋号请填数字或字母，例如 3"
    if not _NUMBER.fullmatch(unit):
        errors["unit"] = "单元号请填数字或字母，例如 2"
    if not _NUMBER.fullmatch(room):
        errors["room"] = "房号请填数字或字母，例如 501"
    if errors:
        raise ValidationError(errors)


def ensure_building(session: Session, staff_id: int, number: str) -> Building:
    """The building with this number, created (and audited) if new."""
    building = session.scalar(select(Building).where(Building.number == number))
    if building is None:
        building = Building(number=number, sort_key=sort_key(number), note="")
        session.add(building)
        session.flush()
        audit.record(session, staff_id, "create", "building", building.id, f"新增楼栋 {number}栋",
                     after={"number": number})
    return building


def ensure_unit(session: Session, staff_id: int, building: Building, number: str) -> Unit:
    """The unit with this number in the building, created (and audited) if new."""
    unit = session.scalar(
        select(Unit).where(Unit.building_id == building.id, Unit.number == number)
    )
    if unit is None:
        unit = Unit(building_id=building.id, number=number, sort_key=sort_key(number))
        session.add(unit)
        session.flush()
        audit.record(session, staff_id, "create", "unit", unit.id,
                     f"新增单元 {building.number}栋{number}单元", after={"number": number})
    return unit


@dataclass(frozen=True)
class HouseholdInput:
    building: str
    unit: str
    room: str
    note: str = ""


def add_household(session: Session, staff_id: int, data: HouseholdInput) -> int:
    """新建住户: create a household at building/unit/room; buildings and units as needed."""
    require_role(session, staff_id, STAFF_ROLES, "新建住户")
    building_no = _number(data.building, _BUILDING_SUFFIX)
    unit_no = _number(data.unit, _UNIT_SUFFIX)
    room = _number(data.room, _ROOM_SUFFIX)
    _check_numbers(building_no, unit_no, room)
    building = ensure_building(session, staff_id, building_no)
    unit = ensure_unit(session, staff_id, building, unit_no)
    exists = session.scalar(
        select(Household.id).where(Household.unit_id == unit.id, Household.room == room)
    )
    if exists is not None:
        raise ValidationError({"room": f"{address(building_no, unit_no, room)} 已经登记过了"})
    household = Household(
        unit_id=unit.id, room=room, room_sort=sort_key(room), note=clean_text(data.note)
    )
    session.add(household)
    session.flush()
    audit.record(
        session, staff_id, "create", "household", household.id,
        f"新建住户 {address(building_no, unit_no, room)}",
        after={"address": address(building_no, unit_no, room), "note": household.note},
    )
    return household.id


HOUSEHOLD_LABELS = {"address": "住址", "note": "备注", "liaison": "联户党员"}


def update_household(
    session: Session, staff_id: int, household_id: int, note: str, liaison_id: int | None
) -> None:
    """Change a household's note and its 党员联户 (the party member who looks after it)."""
    require_role(session, staff_id, STAFF_ROLES, "修改住户")
    household = session.get(Household, household_id)
    if household is None:
        raise NotFound("这户不存在")
    liaison_name = ""
    if liaison_id is not None:
        liaison = session.get(Resident, liaison_id)
        if liaison is None or liaison.party_category is None or liaison.moved_out_on is not None:
            raise ValidationError({"liaison": "联户党员须是在册的党员"})
        liaison_name = liaison.name
    old_liaison = household.liaison.name if household.liaison else ""
    before = {"note": household.note, "liaison": old_liaison}
    after = {"note": clean_text(note), "liaison": liaison_name}
    if before == after:
        return
    household.note = after["note"]
    household.liaison_id = liaison_id
    audit.record(session, staff_id, "update", "household", household_id,
                 f"修改住户 {household_label(household)}", before=before, after=after)


def household_label(household: Household) -> str:
    unit = household.unit
    return address(unit.building.number, unit.number, household.room)


@dataclass(frozen=True)
class UnitNode:
    id: int
    number: str
    households: int


@dataclass(frozen=True)
class BuildingNode:
    id: int
    number: str
    units: tuple[UnitNode, ...]


def tree(session: Session) -> list[BuildingNode]:
    """Buildings with their units and household counts, in order (for the tree and pickers)."""
    counts = dict(
        session.execute(select(Household.unit_id, func.count()).group_by(Household.unit_id)).all()
    )
    buildings = session.scalars(select(Building).order_by(Building.sort_key, Building.number)).all()
    units_by_building: dict[int, list[UnitNode]] = {}
    for unit in session.scalars(select(Unit).order_by(Unit.sort_key, Unit.number)):
        units_by_building.setdefault(unit.building_id, []).append(
            UnitNode(unit.id, unit.number, counts.get(unit.id, 0))
        )
    return [BuildingNode(b.id, b.number, tuple(units_by_building.get(b.id, ()))) for b in buildings]


def rooms(session: Session, unit_id: int) -> list[tuple[int, str]]:
    """(household id, room) of a unit, in room order."""
    result = session.execute(
        select(Household.id, Household.room)
        .where(Household.unit_id == unit_id)
        .order_by(Household.room_sort, Household.room)
    )
    return [(household_id, room) for household_id, room in result]


@dataclass(frozen=True)
class Member:
    id: int
    name: str
    relation: str
    gender: str
    phone_masked: str
    party_category: str
    moved_out: bool


@dataclass(frozen=True)
class HouseholdView:
    """A household as the 住户 view shows it."""

    id: int
    address: str
    building_id: int
    unit_id: int
    note: str
    head: str
    liaison_id: int | None
    liaison: str
    members: tuple[Member, ...]


def household_view(session: Session, household_id: int) -> HouseholdView:
    household = session.get(Household, household_id)
    if household is None:
        raise NotFound("这户不存在")
    residents = session.scalars(
        select(Resident)
        .where(Resident.household_id == household_id)
        .order_by(Resident.moved_out_on.is_not(None), Resident.relation != HEAD, Resident.id)
    ).all()
    members = tuple(
        Member(r.id, r.name, r.relation, r.gender, mask_phone(r.phone), r.party_category or "",
               r.moved_out_on is not None)
        for r in residents
    )
    head = next((m.name for m in members if m.relation == HEAD and not m.moved_out), "")
    liaison = household.liaison
    return HouseholdView(
        id=household.id,
        address=household_label(household),
        building_id=household.unit.building_id,
        unit_id=household.unit_id,
        note=household.note,
        head=head,
        liaison_id=household.liaison_id,
        liaison=(liaison.name + ("（已迁出）" if liaison.moved_out_on else "")) if liaison else "",
        members=members,
    )


def party_members(session: Session) -> list[tuple[int, str]]:
    """(id, "name (address)") of party members living in the compound, for the 联户 picker."""
    rows = session.execute(
        select(Resident.id, Resident.name, Building.number, Unit.number, Household.room)
        .join(Household, Household.id == Resident.household_id)
        .join(Unit, Unit.id == Household.unit_id)
        .join(Building, Building.id == Unit.building_id)
        .where(Resident.party_category.is_not(None), Resident.moved_out_on.is_(None))
        .order_by(Resident.name_pinyin)
    ).all()
    return [(rid, f"{name}（{address(b, u, room)}）") for rid, name, b, u, room in rows]
