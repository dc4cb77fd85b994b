"""The role matrix: every kind of data-changing service called as each role, allowed or refused as the table says.

录入员 (desk clerk), 积分审核员 (points auditor), 管理员 (administrator), and an account that was 停用. Each
call runs in a transaction that is rolled back, so the same records serve every row. A refusal must be the
role check's ("…需要…账号"); any other refusal would mean the row's inputs are wrong, and fails the test.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session

from db.engine import Database
from station import audit, compound, meetings, points, residents, roster, settings, shop, staff, tickets, volunteer
from station.compound import HouseholdInput
from station.errors import ValidationError
from station.points import EntryInput, ItemInput
from station.residents import ResidentInput, ResidentQuery
from station.shop import BasketLine
from station.tickets import TicketInput
from station.vocab import ADMIN, AUDITOR, CLERK

TODAY = dt.date.today()
ALL = {CLERK, AUDITOR, ADMIN}
SHELF = {ADMIN, AUDITOR}


@dataclass
class World:
    db: Database
    accounts: dict[str, int]  # role (or "停用") -> account id
    ids: dict[str, int]
    folder: Path


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    from db.migrate import open_database
    from station import onboarding

    folder = tmp_path_factory.mktemp("roles")
    db = open_database(folder / "station.sqlite3", folder / "backups")
    with db.write() as session:
        admin = onboarding.set_up(session, onboarding.StationDetails("测试站", "测试社区", "测试街道"), "李红")
        clerk = staff.add(session, admin, "王录入", CLERK)
        auditor = staff.add(session, admin, "赵审核", AUDITOR)
        gone = staff.add(session, admin, "钱离职", CLERK)
        staff.update(session, admin, gone, "钱离职", CLERK, False)
        household = compound.add_household(session, admin, HouseholdInput("3", "2", "501"))
        zhang = residents.add_resident(session, admin, ResidentInput("张三明", household, "男", "1956-03-02",
                                                                     relation="户主", party_category="离退休党员"))
        item = points.add_item(session, admin, ItemInput("测试", "参加测试", "50"))
        pending = points.record(session, clerk, EntryInput(item, zhang, None, f"{TODAY:%Y-%m-%d}"), TODAY)
        approved = points.record(session, clerk, EntryInput(item, zhang, None, f"{TODAY:%Y-%m-%d}"), TODAY)
        points.review(session, auditor, [approved], approve=True)
        soap = shop.save_item(session, admin, shop.ItemInput("洗衣皂", "5", "goods", "日用品", "块"))
        shop.stock_in(session, admin, soap, "20", "采购")
        merchant = shop.save_merchant(session, admin, "老街理发店")
        redemption = shop.redeem(session, clerk, [BasketLine(soap)], zhang, today=TODAY)
        team = volunteer.save_team(session, admin, "环境卫生志愿队", zhang)
        began = dt.datetime.now() - dt.timedelta(hours=1)  # on now, so that the desk may sign people in
        activity = volunteer.add_activity(session, admin, volunteer.ActivityInput(
            "大扫除", "环境整治", f"{began:%Y-%m-%d}", f"{began:%H:%M}", f"{began + dt.timedelta(hours=3):%H:%M}"))
        matter = meetings.raise_matter(session, admin, meetings.MatterInput("楼道杂物", zhang), today=TODAY)
        meeting = meetings.save_meeting(session, admin, meetings.MeetingInput("三长初议", f"{TODAY:%Y-%m-%d}"))
        ticket = tickets.open_ticket(session, admin, TicketInput("路灯不亮", "设施维修", place="北门"))
    accounts = {ADMIN: admin, CLERK: clerk, AUDITOR: auditor, "停用": gone}
    ids = {"household": household, "zhang": zhang, "item": item, "pending": pending, "approved": approved,
           "soap": soap, "merchant": merchant, "redemption": redemption, "team": team, "activity": activity,
           "matter": matter, "meeting": meeting, "ticket": ticket}
    return World(db, accounts, ids, folder)


Call = Callable[[Session, int, dict[str, int]], Any]
# (what, the call as someone, the roles allowed)
MATRIX: list[tuple[str, Call, set[str]]] = [
    ("新建住户", lambda s, a, i: compound.add_household(s, a, HouseholdInput("3", "2", "502")), ALL),
    ("登记居民", lambda s, a, i: residents.add_resident(s, a, ResidentInput("李四", i["household"], "男", "1970-01-01",
                                                                        relation="子女")), ALL),
    ("办理迁出", lambda s, a, i: residents.move_out(s, a, i["zhang"], f"{TODAY:%Y-%m-%d}", "搬家"), ALL),
    ("记分", lambda s, a, i: points.record(s, a, EntryInput(i["item"], i["zhang"], None, f"{TODAY:%Y-%m-%d}"),
                                        TODAY), ALL),
    ("冲正", lambda s, a, i: points.reverse(s, a, i["approved"], "记错了", TODAY), ALL),
    ("审核积分", lambda s, a, i: points.review(s, a, [i["pending"]], approve=True), {AUDITOR}),
    ("修改积分细则", lambda s, a, i: points.add_item(s, a, ItemInput("测试", "新项目", "5")), {ADMIN}),
    ("修改设置", lambda s, a, i: settings.put(s, a, settings.OBJECTION_DAYS, 5), {ADMIN}),
    ("新增工作人员", lambda s, a, i: staff.add(s, a, "孙新人", CLERK), {ADMIN}),
    ("积分兑换", lambda s, a, i: shop.redeem(s, a, [BasketLine(i["soap"])], i["zhang"], today=TODAY), ALL),
    ("撤销兑换", lambda s, a, i: shop.cancel_redemption(s, a, i["redemption"], "兑错了", TODAY), {AUDITOR}),
    ("入库", lambda s, a, i: shop.stock_in(s, a, i["soap"], "5", "采购"), ALL),
    ("盘点", lambda s, a, i: shop.stock_take(s, a, i["soap"], "18", "盘点少一块"), ALL),
    ("修改货架", lambda s, a, i: shop.save_item(s, a, shop.ItemInput("香皂", "5", "goods", "日用品", "块")), SHELF),
    ("修改商家联盟", lambda s, a, i: shop.save_merchant(s, a, "洁亮洗车行"), SHELF),
    ("新建活动", lambda s, a, i: volunteer.add_activity(s, a, volunteer.ActivityInput(
        "巡逻", "安全巡逻", f"{TODAY:%Y-%m-%d}", "19:00", "21:00")), ALL),
    ("签到", lambda s, a, i: volunteer.sign_in(s, a, i["activity"], i["zhang"]), ALL),
    ("服务队", lambda s, a, i: volunteer.save_team(s, a, "平安巡逻队", None), ALL),
    ("登记议题", lambda s, a, i: meetings.raise_matter(s, a, meetings.MatterInput("路灯不亮", i["zhang"]),
                                                    today=TODAY), ALL),
    ("上报提级", lambda s, a, i: meetings.escalate(s, a, i["matter"], "测试社区党委", today=TODAY), ALL),
    ("列入议程", lambda s, a, i: meetings.add_to_agenda(s, a, i["meeting"], [i["matter"]]), ALL),
    ("受理工单", lambda s, a, i: tickets.open_ticket(s, a, TicketInput("井盖破损", "安全隐患", place="南门")), ALL),
    ("转办工单", lambda s, a, i: tickets.hand_over(s, a, i["ticket"], "物业公司"), ALL),
    ("查看操作记录", lambda s, a, i: audit.entries(s, a), {ADMIN}),
    ("导入花名册", lambda s, a, i: roster.import_roster(s, a, [], "花名册.xlsx"), {CLERK, ADMIN}),
    ("导出居民名单", lambda s, a, i: roster.export_residents(s, a, ResidentQuery(), i["out"] / f"{a}.xlsx"),
     {CLERK, ADMIN}),
    ("重设别人的密码", lambda s, a, i: staff.set_password(s, a, i["zhang_account"], "xinmima88", "xinmima88"),
     {ADMIN}),
]


@pytest.mark.parametrize("role", [CLERK, AUDITOR, ADMIN, "停用"])
@pytest.mark.parametrize(("what", "call", "allowed"), MATRIX, ids=[row[0] for row in MATRIX])
def test_every_service_checks_the_role_itself(world: World, role: str, what: str, call: Call,
                                              allowed: set[str]) -> None:
    acting = world.accounts[role]
    ids: dict[str, Any] = {**world.ids, "out": world.folder,
                           "zhang_account": world.accounts[CLERK] if role != CLERK else world.accounts[AUDITOR]}
    with world.db.trial() as session:
        if role in allowed:
            call(session, acting, ids)
        else:
            with pytest.raises(ValidationError) as refused:
                call(session, acting, ids)
            message = refused.value.message
            assert ("需要" in message and "账号" in message) or "停用" in message, message
