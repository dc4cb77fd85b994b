"""Buildings, units and households."""

import pytest
from sqlalchemy import select

from db.engine import Database
from db.models import AuditEntry, Building
from station import compound, residents
from station.compound import HouseholdInput
from station.errors import ValidationError
from station.residents import ResidentInput


def test_a_household_brings_its_building_and_unit(database: Database, staff_id: int) -> None:
    with database.write() as session:
        household_id = compound.add_household(session, staff_id, HouseholdInput("3号楼", "2单元", "501室"))
    with database.read() as session:
        view = compound.household_view(session, household_id)
        tree = compound.tree(session)
        actions = session.scalars(select(AuditEntry.summary).order_by(AuditEntry.id)).all()
    assert view.address == "3栋2单元501"
    assert [(b.number, [(u.number, u.households) for u in b.units]) for b in tree] == [("3", [("2", 1)])]
    assert actions[-3:] == ["新增楼栋 3栋", "新增单元 3栋2单元", "新建住户 3栋2单元501"]


def test_buildings_are_in_number_order(database: Database, staff_id: int) -> None:
    with database.write() as session:
        for number in ("10", "2", "1", "B"):
            compound.add_household(session, staff_id, HouseholdInput(number, "1", "101"))
    with database.read() as session:
        assert [b.number for b in compound.tree(session)] == ["1", "2", "10", "B"]


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (HouseholdInput("", "2", "501"), "building", "楼栋号"),
        (HouseholdInput("3", "", "501"), "unit", "单元号"),
        (HouseholdInput("3", "2", ""), "room", "房号"),
        (HouseholdInput("3", "2", "5 0 1 楼上"), "room", "房号"),
    ],
)
def test_wrong_addresses(database: Database, staff_id: int, data: HouseholdInput, field: str, message: str) -> None:
    with pytest.raises(ValidationError) as caught, database.write() as session:
        compound.add_household(session, staff_id, data)
    assert message in caught.value.errors[field]
    with database.read() as session:
        assert session.scalars(select(Building)).all() == []


def test_a_household_is_registered_once(database: Database, staff_id: int, household_id: int) -> None:
    with pytest.raises(ValidationError) as caught, database.write() as session:
        compound.add_household(session, staff_id, HouseholdInput("3", "2", "501"))
    assert caught.value.errors["room"] == "3栋2单元501 已经登记过了"


def test_household_view_and_liaison(database: Database, staff_id: int, household_id: int) -> None:
    with database.write() as session:
        other = compound.add_household(session, staff_id, HouseholdInput("3", "2", "502"))
        member = residents.add_resident(session, staff_id, ResidentInput(
            name="李大山", household_id=other, gender="男", party_category="在职党员"))
        head = residents.add_resident(session, staff_id, ResidentInput(
            name="赵桂兰", household_id=household_id, gender="女", relation="户主", care_tags=["独居老人"]))
    with database.write() as session:
        compound.update_household(session, staff_id, household_id, "老人独居，每周探访", member)
    with database.read() as session:
        view = compound.household_view(session, household_id)
        choices = compound.party_members(session)
        history = compound_history(session, household_id)
    assert (view.head, view.liaison, view.note) == ("赵桂兰", "李大山", "老人独居，每周探访")
    assert [m.id for m in view.members] == [head]
    assert choices == [(member, "李大山（3栋2单元502）")]
    assert history == [("联户党员", "（空）", "李大山"), ("备注", "（空）", "老人独居，每周探访")]


def compound_history(session, household_id):  # type: ignore[no-untyped-def]
    from station import audit

    item = audit.history(session, "household", household_id, compound.HOUSEHOLD_LABELS)[0]
    return sorted(((c.field, c.before, c.after) for c in item.changes), key=lambda c: c[0] != "联户党员")


def test_liaison_must_be_a_party_member(database: Database, staff_id: int, household_id: int) -> None:
    with database.write() as session:
        resident = residents.add_resident(session, staff_id, ResidentInput(
            name="赵桂兰", household_id=household_id, gender="女"))
    with pytest.raises(ValidationError, match="须是在册的党员"), database.write() as session:
        compound.update_household(session, staff_id, household_id, "", resident)


def test_leading_zeros_do_not_make_a_second_room(database: Database, staff_id: int, household_id: int) -> None:
    with pytest.raises(ValidationError, match="已经登记过了"), database.write() as session:
        compound.add_household(session, staff_id, HouseholdInput("03", "2", "0501"))
