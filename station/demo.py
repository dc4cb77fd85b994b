"""The demo compound (示例小区): a realistic, made-up compound to try the program on.

The same generator, scaled up, makes the large compound for the benchmarks.
Every name, phone and ID number is invented (ID numbers carry valid check
digits so the program treats them as real ones).
"""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from db.models import Building, Household, PointItem, Resident, Unit
from station import audit, onboarding, points
from station.compound import sort_key
from station.errors import ValidationError
from station.pinyin import search_keys
from station.validation import id_check_digit

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
MALE_CHARS = "伟强磊军勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆帅旭宁龙林欣建国志文海东峰春晓云庆德福贵"
FEMALE_CHARS = "芳娜敏静丽艳娟霞秀玲桂英华红梅琳燕萍雪慧莉兰凤洁琴云颖倩婷丹玉珍晶月彩春翠淑秋"
REGIONS = ("610116", "140105", "430211", "361026", "141102", "610113", "430202")
MOBILE_PREFIXES = ("133", "135", "136", "137", "138", "139", "150", "151", "152", "155", "158",
                   "159", "177", "180", "182", "186", "187", "189", "191", "199")


@dataclass(frozen=True)
class DemoSize:
    households: int = 300
    residents: int = 800


def _name(rng: random.Random, gender: str, surname: str | None = None) -> str:
    chars = MALE_CHARS if gender == "男" else FEMALE_CHARS
    given = "".join(rng.choice(chars) for _ in range(rng.choice((1, 2, 2, 2))))
    return (surname or rng.choice(SURNAMES)) + given


def _id_number(rng: random.Random, birth: dt.date, gender: str) -> str:
    sequence = rng.randrange(0, 100) * 10 + rng.choice((1, 3, 5, 7, 9) if gender == "男" else (0, 2, 4, 6, 8))
    first17 = f"{rng.choice(REGIONS)}{birth:%Y%m%d}{sequence:03d}"
    return first17 + id_check_digit(first17)


def _birth(rng: random.Random, age: int, today: dt.date) -> dt.date:
    year = today.year - age
    return dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(0, 365))


def _layout(households: int) -> list[tuple[str, str, str]]:
    """(building, unit, room) for each household: old low-rise blocks, or high-rises for a large compound."""
    small = households <= 500
    floors, units, doors = (6, 3, 3) if small else (18, 3, 2)
    per_building = units * floors * doors
    buildings = max(1, math.ceil(households / per_building))
    places = []
    for b in range(1, buildings + 1):
        for u in range(1, units + 1):
            for floor in range(1, floors + 1):
                for door in range(1, doors + 1):
                    places.append((str(b), str(u), f"{floor}{door:02d}"))
    # Spread households over all buildings rather than filling the first ones.
    step = len(places) / households
    return [places[int(i * step)] for i in range(households)]


def compound_is_empty(session: Session) -> bool:
    """True when no resident has been registered yet."""
    return session.scalar(select(Resident.id).limit(1)) is None


def generate(session: Session, staff_id: int, size: DemoSize = DemoSize(), seed: int = 2026,
             today: dt.date | None = None) -> tuple[int, int]:
    """Fill an empty compound with made-up households and residents, in one transaction.

    Returns (households, residents) created.
    """
    if not compound_is_empty(session):
        raise ValidationError("已经有居民了：示例小区只能载入到空的数据文件中")
    if size.residents < size.households:
        raise ValueError("need at least one resident per household")
    rng = random.Random(seed)
    today = today or dt.date.today()

    layout = _layout(size.households)
    building_ids: dict[str, int] = {}
    unit_ids: dict[tuple[str, str], int] = {}
    for building, unit, _room in layout:
        if building not in building_ids:
            building_ids[building] = len(building_ids) + 1
        unit_ids.setdefault((building, unit), len(unit_ids) + 1)
    session.execute(insert(Building), [
        {"id": bid, "number": number, "sort_key": sort_key(number), "note": ""}
        for number, bid in building_ids.items()
    ])
    session.execute(insert(Unit), [
        {"id": uid, "building_id": building_ids[b], "number": u, "sort_key": sort_key(u)}
        for (b, u), uid in unit_ids.items()
    ])
    household_rows: list[dict[str, Any]] = [
        {"id": i + 1, "unit_id": unit_ids[(b, u)], "room": room, "room_sort": sort_key(room), "note": ""}
        for i, (b, u, room) in enumerate(layout)
    ]
    session.execute(insert(Household), household_rows)

    # Household sizes: at least one each, the rest spread at random.
    sizes = [1] * size.households
    for _ in range(size.residents - size.households):
        sizes[rng.randrange(size.households)] += 1

    keys_cache: dict[str, str] = {}
    used_ids: set[str] = set()

    def unique_id_number(birth: dt.date, gender: str) -> str:
        while True:
            number = _id_number(rng, birth, gender)
            if number not in used_ids:
                used_ids.add(number)
                return number

    residents: list[dict[str, Any]] = []
    building_of_household = {i + 1: layout[i][0] for i in range(size.households)}

    def add(household_id: int, name: str, gender: str, age: int, relation: str) -> dict[str, Any]:
        birth = _birth(rng, max(age, 0), today)
        adult = age >= 18
        row: dict[str, Any] = {
            "id": len(residents) + 1,
            "household_id": household_id,
            "name": name,
            "name_pinyin": keys_cache.setdefault(name, search_keys(name)),
            "gender": gender,
            "birth_date": birth,
            "id_number": unique_id_number(birth, gender) if rng.random() < 0.85 else None,
            "phone": (rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}")
            if adult and rng.random() < 0.9 else None,
            "relation": relation,
            "party_category": None,
            "roles": "",
            "care_tags": "",
            "note": "",
            # children born here moved in at birth
            "moved_in_on": max(dt.date(rng.randrange(1995, today.year), rng.randrange(1, 13), 1), birth),
            "moved_out_on": None,
            "moved_out_reason": "",
        }
        residents.append(row)
        return row

    for household_id, count in enumerate(sizes, start=1):
        head_gender = rng.choice(("男", "男", "女"))
        head_age = rng.randint(28, 88) if count > 1 else rng.randint(30, 92)
        surname = rng.choice(SURNAMES)
        head = add(household_id, _name(rng, head_gender, surname), head_gender, head_age, "户主")
        members = count - 1
        if members and head_age >= 25:
            spouse_gender = "女" if head_gender == "男" else "男"
            add(household_id, _name(rng, spouse_gender), spouse_gender,
                max(22, head_age + rng.randint(-5, 5)), "配偶")
            members -= 1
        while members > 0:
            if head_age < 58 and members >= 1 and rng.random() < 0.25:
                gender = rng.choice(("男", "女"))
                add(household_id, _name(rng, gender), gender, min(99, head_age + rng.randint(24, 32)), "父母")
            elif head_age >= 60 and rng.random() < 0.4:
                gender = rng.choice(("男", "女"))
                add(household_id, _name(rng, gender, surname), gender, max(1, head_age - rng.randint(48, 60)),
                    "孙子女")
            else:
                gender = rng.choice(("男", "女"))
                add(household_id, _name(rng, gender, surname), gender, max(1, head_age - rng.randint(22, 34)),
                    "子女")
            members -= 1
        if count == 1 and head_age >= 70:
            head["care_tags"] = "独居老人"

    adults = [r for r in residents if (today - r["birth_date"]).days >= 18 * 365]
    for row in adults:
        age = (today - row["birth_date"]).days // 365
        if rng.random() < 0.09:
            if age >= 60:
                row["party_category"] = rng.choice(("离退休党员", "离退休党员", "直管党员"))
            else:
                row["party_category"] = rng.choice(("在职党员", "在职党员", "直管党员", "流动党员"))
        tags = [t for t in str(row["care_tags"]).split(",") if t]
        if age >= 75 and rng.random() < 0.06:
            tags.append("特困老人")
        if rng.random() < 0.02:
            tags.append("困难户")
        if rng.random() < 0.015:
            tags.append("残疾人")
        row["care_tags"] = ",".join(t for t in ("独居老人", "特困老人", "困难户", "残疾人", "困境儿童") if t in tags)
    adult_ids = {r["id"] for r in adults}
    for row in residents:
        if row["id"] not in adult_ids and rng.random() < 0.01:
            row["care_tags"] = "困境儿童"

    # Leaders: a 楼栋长 per building and a 单元长 per unit (party members when there are some),
    # a 网格员 for every two buildings, and 党员中心户 among the party members.
    by_unit: dict[int, list[dict[str, Any]]] = {}
    unit_of_household = {h["id"]: h["unit_id"] for h in household_rows}
    for row in adults:
        by_unit.setdefault(unit_of_household[row["household_id"]], []).append(row)
    unit_building = {uid: building_ids[b] for (b, _u), uid in unit_ids.items()}
    by_building: dict[int, list[dict[str, Any]]] = {}
    for uid, people in by_unit.items():
        by_building.setdefault(unit_building[uid], []).extend(people)

    def pick(people: list[dict[str, Any]]) -> dict[str, Any]:
        party = [p for p in people if p["party_category"] and not p["roles"]]
        free = [p for p in people if not p["roles"]] or people
        return rng.choice(party or free)

    def give(row: dict[str, Any], role: str) -> None:
        roles = [r for r in str(row["roles"]).split(",") if r] + [role]
        row["roles"] = ",".join(r for r in ("楼栋长", "单元长", "网格员", "党员中心户") if r in roles)

    for bid in sorted(by_building):
        give(pick(by_building[bid]), "楼栋长")
        if bid % 2 == 1:
            give(pick(by_building[bid]), "网格员")
    for uid in sorted(by_unit):
        give(pick(by_unit[uid]), "单元长")
    party_members = [r for r in adults if r["party_category"]]
    for row in rng.sample(party_members, k=min(len(party_members), max(1, len(party_members) // 8))):
        give(row, "党员中心户")

    # A few have moved out (kept, marked).
    for row in rng.sample(residents, k=len(residents) // 50):
        moved_out = today - dt.timedelta(days=rng.randrange(10, 700))
        if row["relation"] != "户主" and not row["roles"] and row["birth_date"] < moved_out:
            row["moved_out_on"] = moved_out
            row["moved_out_reason"] = rng.choice(("购房搬离", "随子女居住", "工作调动", "户籍迁出"))
            if moved_out < row["moved_in_on"]:
                row["moved_in_on"] = max(row["birth_date"], moved_out - dt.timedelta(days=365))

    # render_nulls: one executemany, rather than one statement per pattern of empty fields.
    session.execute(insert(Resident).execution_options(render_nulls=True), residents)

    # 党员联户: party members look after households of their own building.
    party_by_building: dict[str, list[int]] = {}
    for row in party_members:
        if row["moved_out_on"] is None:
            party_by_building.setdefault(building_of_household[row["household_id"]], []).append(row["id"])
    links = []
    for household_id, building in building_of_household.items():
        candidates = party_by_building.get(building)
        if candidates and rng.random() < 0.4:
            links.append({"id": household_id, "liaison_id": rng.choice(candidates)})
    if links:
        session.execute(update(Household), links)

    audit.record(
        session, staff_id, "demo", "station", 1,
        f"载入示例小区：{len(building_ids)}栋、{size.households}户、{len(residents)}人",
    )
    return size.households, len(residents)


DEMO_STATION = onboarding.StationDetails("幸福里小区党群服务站", "幸福社区", "长安街道")
DEMO_STAFF = "值班员"


def load_demo(session: Session, size: DemoSize = DemoSize(), today: dt.date | None = None) -> tuple[int, int]:
    """Set up the demo station (when not set up yet), fill the demo compound and give it a year of
    volunteering, points, the points supermarket and discussion meetings.

    The order is the one a real year keeps: the hours of volunteering earn pending entries first,
    then the other entries are made and everything past is reviewed; the year's redemptions spend
    the approved points (each debit an entry of its month); the months are closed and the half-year
    rated, its vouchers issued and handed over; a few hours are corrected in the open month; last, the
    year's matters and meetings, then the tickets (some carrying out the meetings' resolutions); neither
    touches points.
    """
    from station.demo_meetings import generate_meetings
    from station.demo_points import DEMO_PASSWORD, close_and_rate, generate_points
    from station.demo_shop import generate_shop, hand_out_vouchers
    from station.demo_tickets import generate_tickets
    from station.demo_volunteer import generate_corrections, generate_volunteering

    today = today or dt.date.today()
    acting = onboarding.acting_staff(session)
    if acting is None:
        staff_id = onboarding.set_up(session, DEMO_STATION, DEMO_STAFF, DEMO_PASSWORD)
    else:
        staff_id = acting[0]
    made = generate(session, staff_id, size, today=today)
    if session.scalar(select(PointItem.id).limit(1)) is None:
        points.load_default_catalogue(session, staff_id)
    generate_volunteering(session, staff_id, today)
    generate_points(session, staff_id, today)
    generate_shop(session, staff_id, today)
    rated = close_and_rate(session, staff_id, today)
    hand_out_vouchers(session, staff_id, rated)
    generate_corrections(session, staff_id, today)
    generate_meetings(session, staff_id, today)
    generate_tickets(session, staff_id, today)
    return made
