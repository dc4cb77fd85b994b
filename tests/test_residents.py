"""Resident services: registering, correcting, moving out, finding; audit and no-loss rules."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError

from db.engine import Database
from db.models import AuditEntry, Resident
from station import compound, residents
from station.compound import HouseholdInput
from station.errors import ValidationError
from station.residents import ResidentInput, ResidentQuery


def person(household_id: int | None, **changes: object) -> ResidentInput:
    values: dict[str, object] = {
        "name": "张三明", "household_id": household_id, "gender": "男", "birth_date": "1956-03-02",
        "id_number": "110105195603020015", "phone": "138 1234 1234", "relation": "户主",
        "party_category": "离退休党员", "roles": ["楼栋长"], "care_tags": [],
    }
    values.update(changes)
    return ResidentInput(**values)  # type: ignore[arg-type]


def add(database: Database, staff_id: int, data: ResidentInput) -> int:
    with database.write() as session:
        return residents.add_resident(session, staff_id, data)


def counts(database: Database) -> tuple[int, int]:
    with database.read() as session:
        return (session.scalar(select(func.count()).select_from(Resident)) or 0,
                session.scalar(select(func.count()).select_from(AuditEntry)) or 0)


def test_add_resident_stores_clean_values_and_audits(database: Database, staff_id: int, household_id: int) -> None:
    resident_id = add(database, staff_id, person(household_id))
    with database.read() as session:
        resident = session.get(Resident, resident_id)
        assert resident is not None
        assert resident.phone == "13812341234"
        assert resident.name_pinyin.split() == ["zhangsanming", "zsm"]
        entry = session.scalars(select(AuditEntry).where(AuditEntry.entity == "resident")).one()
    assert entry.staff_id == staff_id and entry.action == "create" and entry.entity_id == resident_id
    after = json.loads(entry.after or "{}")
    assert after["name"] == "张三明"
    assert after["id_number"] == "110105********0015"  # never the full number in the log


def test_gender_and_birth_date_are_taken_from_the_id_number(
    database: Database, staff_id: int, household_id: int
) -> None:
    resident_id = add(database, staff_id, person(household_id, gender="", birth_date=""))
    with database.read() as session:
        form = residents.load_form(session, resident_id)
    assert (form.gender, form.birth_date) == ("男", "1956-03-02")
    assert form.id_number_masked == "110105********0015"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": ""}, "name", "请填写姓名"),
        ({"name": "张三123"}, "name", "汉字"),
        ({"id_number": "110105195603020016"}, "id_number", "校验位"),
        ({"gender": "女"}, "gender", "与身份证号不符"),
        ({"birth_date": "1956-03-03"}, "birth_date", "1956-03-02"),
        ({"id_number": "", "birth_date": "2099-01-01"}, "birth_date", "晚于今天"),
        ({"phone": "1381234"}, "phone", "11位"),
        ({"household_id": None}, "household", "先选择住户"),
        ({"household_id": 999}, "household", "先选择住户"),
        ({"relation": "邻居"}, "relation", "与户主关系"),
        ({"party_category": "群众党员"}, "party_category", "党员类别"),
        ({"party_category": "", "roles": ["党员中心户"]}, "roles", "须是党员"),
        ({"moved_in_on": "明年"}, "moved_in_on", "格式不对"),
    ],
)
def test_wrong_input_is_named_by_field_and_nothing_is_saved(
    database: Database, staff_id: int, household_id: int, changes: dict[str, object], field: str, message: str
) -> None:
    before = counts(database)
    data = person(household_id)
    for key, value in changes.items():
        setattr(data, key, value)
    with pytest.raises(ValidationError) as caught, database.write() as session:
        residents.add_resident(session, staff_id, data)
    assert message in caught.value.errors[field]
    assert counts(database) == before


def test_an_id_number_belongs_to_one_resident(database: Database, staff_id: int, household_id: int) -> None:
    add(database, staff_id, person(household_id))
    with pytest.raises(ValidationError) as caught, database.write() as session:
        residents.add_resident(session, staff_id, person(household_id, name="张四", relation="子女"))
    assert caught.value.errors["id_number"] == "这个身份证号已登记给 张三明（3栋2单元501）"


def test_one_head_per_household(database: Database, staff_id: int, household_id: int) -> None:
    add(database, staff_id, person(household_id))
    with pytest.raises(ValidationError) as caught, database.write() as session:
        residents.add_resident(session, staff_id, person(household_id, name="王秀英", gender="女", id_number="",
                                                         birth_date="", relation="户主", party_category=""))
    assert "本户已有户主 张三明" in caught.value.errors["relation"]


def test_the_database_itself_refuses_a_second_head(database: Database, staff_id: int, household_id: int) -> None:
    add(database, staff_id, person(household_id))
    with pytest.raises(IntegrityError), database.write() as session:
        session.add(Resident(household_id=household_id, name="王秀英", name_pinyin="", gender="女",
                             relation="户主", roles="", care_tags="", note="", moved_out_reason=""))


def test_update_records_before_and_after(database: Database, staff_id: int, household_id: int) -> None:
    resident_id = add(database, staff_id, person(household_id))
    with database.write() as session:
        changed = residents.update_resident(session, staff_id, resident_id,
                                            person(household_id, id_number=None, phone="13998765432"))
    assert changed
    with database.read() as session:
        history = residents.history(session, resident_id)
    assert [item.action for item in history] == ["修改", "新增"]
    assert history[0].staff == "李红"
    assert [(c.field, c.before, c.after) for c in history[0].changes] == [("电话", "138****1234", "139****5432")]  # masked on screen


def test_an_update_that_changes_nothing_writes_nothing(database: Database, staff_id: int, household_id: int) -> None:
    resident_id = add(database, staff_id, person(household_id))
    before = counts(database)
    with database.write() as session:
        assert not residents.update_resident(session, staff_id, resident_id, person(household_id, id_number=None))
    assert counts(database) == before


def test_editing_without_retyping_keeps_the_id_number(database: Database, staff_id: int, household_id: int) -> None:
    resident_id = add(database, staff_id, person(household_id))
    with database.write() as session:
        residents.update_resident(session, staff_id, resident_id, person(household_id, id_number=None, note="腿脚不便"))
    with database.read() as session:
        assert session.get(Resident, resident_id).id_number == "110105195603020015"  # type: ignore[union-attr]


def test_move_out_keeps_the_resident_and_can_be_undone(database: Database, staff_id: int, household_id: int) -> None:
    resident_id = add(database, staff_id, person(household_id))
    with database.write() as session:
        residents.move_out(session, staff_id, resident_id, "2026-10-01", "随子女居住")
    with database.read() as session:
        assert residents.find_ids(session, ResidentQuery()) == []
        assert residents.find_ids(session, ResidentQuery(include_moved_out=True)) == [resident_id]
        row = residents.rows(session, [resident_id])[resident_id]
        assert str(row.moved_out_on) == "2026-10-01"
    with database.write() as session:
        residents.undo_move_out(session, staff_id, resident_id)
    with database.read() as session:
        assert residents.find_ids(session, ResidentQuery()) == [resident_id]
        assert [item.action for item in residents.history(session, resident_id)] == ["撤销迁出", "迁出", "新增"]


def test_move_out_twice_or_undo_without_move_out_is_refused(
    database: Database, staff_id: int, household_id: int
) -> None:
    resident_id = add(database, staff_id, person(household_id))
    with pytest.raises(ValidationError, match="没有迁出"), database.write() as session:
        residents.undo_move_out(session, staff_id, resident_id)
    with database.write() as session:
        residents.move_out(session, staff_id, resident_id, "", "")
    with pytest.raises(ValidationError, match="已于"), database.write() as session:
        residents.move_out(session, staff_id, resident_id, "", "")


def test_undo_move_out_of_a_former_head_when_there_is_a_new_one(
    database: Database, staff_id: int, household_id: int
) -> None:
    old_head = add(database, staff_id, person(household_id))
    with database.write() as session:
        residents.move_out(session, staff_id, old_head, "", "")
    add(database, staff_id, person(household_id, name="王秀英", gender="女", id_number="", relation="户主",
                                   party_category="", roles=[]))
    with pytest.raises(ValidationError, match="本户现在的户主是 王秀英"), database.write() as session:
        residents.undo_move_out(session, staff_id, old_head)


def test_records_are_never_deleted_and_the_log_never_changes(
    database: Database, staff_id: int, household_id: int
) -> None:
    add(database, staff_id, person(household_id))
    for statement in ("DELETE FROM residents", "DELETE FROM households", "DELETE FROM buildings",
                      "DELETE FROM audit_log", "UPDATE audit_log SET summary = 'x'", "DELETE FROM staff"):
        with pytest.raises(IntegrityError, match="never"), database.write() as session:
            session.execute(text(statement))
    assert counts(database)[0] == 1


def test_a_failed_action_leaves_no_audit_row(database: Database, staff_id: int, household_id: int) -> None:
    before = counts(database)
    with pytest.raises(RuntimeError), database.write() as session:
        residents.add_resident(session, staff_id, person(household_id))
        raise RuntimeError("power cut")
    assert counts(database) == before


# ------------------------------------------------------------------ finding


@pytest.fixture
def neighbours(database: Database, staff_id: int) -> dict[str, int]:
    """Three households and five residents to search among."""
    with database.write() as session:
        h1 = compound.add_household(session, staff_id, HouseholdInput("3", "2", "501"))
        h2 = compound.add_household(session, staff_id, HouseholdInput("3", "1", "202"))
        h3 = compound.add_household(session, staff_id, HouseholdInput("12", "1", "1101"))
        people = {
            "张三明": residents.add_resident(session, staff_id, person(h1)),
            "王秀英": residents.add_resident(session, staff_id, person(
                h1, name="王秀英", gender="女", id_number="", birth_date="1958-07-15", relation="配偶",
                phone="", party_category="", roles=[], care_tags=["残疾人"])),
            "曾小贤": residents.add_resident(session, staff_id, person(
                h2, name="曾小贤", id_number="", birth_date="1990-01-01", phone="13900005678",
                party_category="在职党员", roles=["网格员"])),
            "吕红": residents.add_resident(session, staff_id, person(
                h3, name="吕红", gender="女", id_number="", birth_date="1940-05-05", phone="029-88881234",
                party_category="", roles=[], care_tags=["独居老人", "特困老人"])),
            "张小明": residents.add_resident(session, staff_id, person(
                h3, name="张小明", id_number="", birth_date="2015-06-01", phone="", relation="孙子女",
                party_category="", roles=[])),
        }
    return people


def names(database: Database, query: ResidentQuery) -> list[str]:
    with database.read() as session:
        ids = residents.find_ids(session, query)
        found = residents.rows(session, ids)
    return [found[i].name for i in ids]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("张", ["张三明", "张小明"]),
        ("三明", ["张三明"]),
        ("zsm", ["张三明"]),
        ("ZSM", ["张三明"]),
        ("zs", ["张三明"]),
        ("zhang", ["张三明", "张小明"]),
        ("zxm", ["张小明"]),
        ("zxx", ["曾小贤"]),  # 曾 read zeng
        ("cxx", ["曾小贤"]),  # ... or ceng: both find her
        ("lh", ["吕红"]),
        ("lvhong", ["吕红"]),
        ("luhong", ["吕红"]),
        ("1234", ["张三明", "吕红"]),  # phone tail
        ("5678", ["曾小贤"]),
        ("3-2-501", ["张三明", "王秀英"]),
        ("12-1-1101", ["吕红", "张小明"]),
        ("3-202", ["曾小贤"]),
        ("501", ["张三明", "王秀英"]),  # a room number alone
        ("张 1234", ["张三明"]),  # words narrow each other down
        ("nobody", []),
    ],
)
def test_search(database: Database, neighbours: dict[str, int], typed: str, expected: list[str]) -> None:
    assert sorted(names(database, ResidentQuery(text=typed))) == sorted(expected)


@pytest.mark.parametrize(
    ("group", "expected"),
    [
        ("party", ["张三明", "曾小贤"]),
        ("party:在职党员", ["曾小贤"]),
        ("leader", ["张三明", "曾小贤"]),
        ("role:网格员", ["曾小贤"]),
        ("care", ["王秀英", "吕红"]),
        ("care:特困老人", ["吕红"]),
        ("care:困境儿童", []),
    ],
)
def test_groups(database: Database, neighbours: dict[str, int], group: str, expected: list[str]) -> None:
    assert sorted(names(database, ResidentQuery(group=group))) == sorted(expected)


def test_place_filters(database: Database, neighbours: dict[str, int]) -> None:
    with database.read() as session:
        building_3 = next(b for b in compound.tree(session) if b.number == "3")
    assert sorted(names(database, ResidentQuery(building_id=building_3.id))) == ["张三明", "曾小贤", "王秀英"]
    unit_2 = next(u for u in building_3.units if u.number == "2")
    assert sorted(names(database, ResidentQuery(unit_id=unit_2.id))) == ["张三明", "王秀英"]


@pytest.mark.parametrize(
    ("sort", "descending", "expected"),
    [
        ("address", False, ["曾小贤", "张三明", "王秀英", "吕红", "张小明"]),  # 3-1 < 3-2 < 12; head first
        ("address", True, ["吕红", "张小明", "张三明", "王秀英", "曾小贤"]),  # heads still first
        ("age", False, ["张小明", "曾小贤", "王秀英", "张三明", "吕红"]),
        ("age", True, ["吕红", "张三明", "王秀英", "曾小贤", "张小明"]),
        ("name", False, ["吕红", "王秀英", "曾小贤", "张三明", "张小明"]),  # by full pinyin: lv wang zeng zhang
    ],
)
def test_sorting(database: Database, neighbours: dict[str, int], sort: str, descending: bool,
                 expected: list[str]) -> None:
    assert names(database, ResidentQuery(sort=sort, descending=descending)) == expected


def test_rows_are_ready_to_show(database: Database, neighbours: dict[str, int]) -> None:
    with database.read() as session:
        row = residents.rows(session, [neighbours["吕红"]])[neighbours["吕红"]]
    assert row.address == "12栋1单元1101"
    assert row.phone_masked == "029-****1234"
    assert row.care_tags == "独居老人、特困老人"


def test_the_finder_gives_what_a_fresh_query_gives(database: Database, staff_id: int,
                                                   neighbours: dict[str, int]) -> None:
    finder = residents.ResidentFinder()
    with database.read() as session:
        for query in (ResidentQuery(), ResidentQuery(text="z"), ResidentQuery(text="zs"), ResidentQuery(text="ZHANG"),
                      ResidentQuery(text="3-2", sort="age"), ResidentQuery(text="1234", descending=True),
                      ResidentQuery(text="501"), ResidentQuery(text="张 1234"), ResidentQuery(text="lu"),
                      ResidentQuery(text="cxx"), ResidentQuery(text="三明"), ResidentQuery(text="3栋2单元"),
                      ResidentQuery(group="party", text="z"), ResidentQuery(text="nobody"), ResidentQuery(text="")):
            assert finder.find(session, query) == residents.find_ids(session, query)
    with database.write() as session:
        residents.move_out(session, staff_id, neighbours["张三明"], "", "")
    finder.invalidate()
    with database.read() as session:
        assert neighbours["张三明"] not in finder.find(session, ResidentQuery(text="z"))


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("3-2", ["张三明", "王秀英"]),  # building 3, unit 2
     ("3栋2单元501", ["张三明", "王秀英"]),  # the address as the table shows it
     ("3号楼2单元", ["张三明", "王秀英"]),
     ("3-2-5", ["张三明", "王秀英"]), ("3-2-6", []), ("12-1-11", ["吕红", "张小明"])],
)
def test_a_room_narrows_as_it_is_typed(database: Database, neighbours: dict[str, int], typed: str,
                                       expected: list[str]) -> None:
    assert sorted(names(database, ResidentQuery(text=typed))) == sorted(expected)


def test_editing_cannot_contradict_the_id_number_on_file(database: Database, staff_id: int,
                                                         household_id: int) -> None:
    resident_id = add(database, staff_id, person(household_id))
    for changes, field in (({"gender": "女"}, "gender"), ({"birth_date": "1930-01-01"}, "birth_date")):
        data = person(household_id, id_number=None)
        for key, value in changes.items():
            setattr(data, key, value)
        with pytest.raises(ValidationError) as caught, database.write() as session:
            residents.update_resident(session, staff_id, resident_id, data)
        assert "请重新填写身份证号" in caught.value.errors[field]


def test_moving_in_before_birth_is_refused(database: Database, staff_id: int, household_id: int) -> None:
    with pytest.raises(ValidationError) as caught, database.write() as session:
        residents.add_resident(session, staff_id, person(household_id, moved_in_on="1950-01-01"))
    assert caught.value.errors["moved_in_on"] == "入住日期不能早于出生日期"


def test_spaces_inside_a_chinese_name_are_dropped(database: Database, staff_id: int, household_id: int) -> None:
    resident_id = add(database, staff_id, person(household_id, name="王  小明", id_number="", relation="其他"))
    with database.read() as session:
        assert residents.load_form(session, resident_id).name == "王小明"
        assert residents.find_ids(session, ResidentQuery(text="王小明")) == [resident_id]


def test_care_tags_are_seen_only_by_the_roles_that_need_them_and_viewing_is_logged(database: Database,
                                                                                  staff_id: int) -> None:
    from sqlalchemy import select

    from db.models import AuditEntry
    from station import compound, staff
    from station.compound import HouseholdInput
    from station.vocab import AUDITOR, CLERK

    with database.write() as session:
        household = compound.add_household(session, staff_id, HouseholdInput("3", "2", "501"))
        auditor = staff.add(session, staff_id, "赵审核", AUDITOR)
        clerk = staff.add(session, staff_id, "王录入", CLERK)
        lonely = residents.add_resident(session, clerk, ResidentInput("孙秀兰", household, "女", "1940-05-01",
                                                                      relation="户主", care_tags=["独居老人"]))
        tagged_by_auditor = residents.add_resident(session, auditor, ResidentInput(
            "孙小明", household, "男", "1990-05-01", relation="子女", care_tags=["残疾人"]))
    with database.write() as session:
        assert residents.load_form(session, lonely, viewer_id=clerk).care_tags == ("独居老人",)
        seen = residents.load_form(session, lonely, viewer_id=auditor)
        assert seen.care_tags == () and seen.care_hidden
        assert residents.rows(session, [lonely], hide_care=True)[lonely].care_tags == ""
        assert residents.rows(session, [tagged_by_auditor])[tagged_by_auditor].care_tags == ""  # not set
    with database.write() as session:  # an auditor's edit keeps the tags they cannot see
        data = residents.load_form(session, lonely, viewer_id=auditor)
        residents.update_resident(session, auditor, lonely, ResidentInput(
            data.name, data.household_id, data.gender, data.birth_date, None, "13812345678",
            relation=data.relation, care_tags=list(data.care_tags)))
    with database.read() as session:
        assert residents.rows(session, [lonely])[lonely].care_tags == "独居老人"
        views = [(a.staff_id, a.summary) for a in session.scalars(
            select(AuditEntry).where(AuditEntry.action == "view", AuditEntry.entity_id == lonely))]
    assert views == [(clerk, "查看居民完整信息：孙秀兰"), (auditor, "查看居民完整信息：孙秀兰"),
                     (auditor, "查看居民完整信息：孙秀兰")]
