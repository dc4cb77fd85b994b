"""Volunteer hours on a large compound: the activity lists, attendance, care visits and the hours reports.

    python benchmarks/bench_volunteer.py     # 10,000 households, 30,000 residents, a year of volunteering

Adds (once) a year of volunteer activity at a large compound's scale — 24 teams, about 1,500 activities
(weekly clean-ups and patrols in four 片区, monthly publicity and talks, festivals, care visits) and about
40,000 attendance rows with the points they earned — by raw inserts, like bench_points' ledger.

Target (issue: volunteer hours): open the 志愿时长 tab and list a year of activities for a large compound
under 200 ms.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import random
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.common import stamp, timed  # noqa: E402
from benchmarks.generate_compound import generate  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from db.migrate import open_database  # noqa: E402
from station import onboarding, volunteer  # noqa: E402
from station.paths import backups_dir, database_path  # noqa: E402

TARGET_MS = 200
AREAS = ("一片区", "二片区", "三片区", "四片区")
TEAM_KINDS = (("红色志愿服务队（党员）", 40), ("环境卫生志愿队", 40), ("平安巡逻队", 30),
              ("邻里关爱服务队", 30), ("政策宣传队", 25), ("文体队", 30))
FESTIVALS = (("02-10", "迎新春写春联、送福字"), ("03-03", "元宵节猜灯谜"), ("03-05", "学雷锋志愿服务日"),
             ("05-16", "幸福邻里节：邻里百家宴、跳蚤市场"), ("06-18", "端午节包粽子、送独居老人"),
             ("07-01", "七一主题党日：重温入党誓词"), ("09-24", "中秋节“我们的节日”邻里联欢会"),
             ("10-18", "重阳节敬老活动"), ("11-09", "119消防宣传：消防安全进楼栋"), ("12-04", "12·4国家宪法日宣传"))


class Plan(NamedTuple):
    title: str
    kind: str
    starts: dt.datetime
    minutes: int
    place: str
    team: tuple[int, list[int]] | None  # (team id, members)
    headcount: int | None
    size: int  # how many come, before scaling to the wanted attendance
    visited: int | None = None



def fill_volunteering(path: Path, today: dt.date, activities: int = 1500, attendance: int = 40_000,
                      seed: int = 7) -> None:
    """Add teams, a year of activities up to ``today`` (and two weeks ahead) and their attendance, with the
    pending or approved points the hours earned: raw inserts, one transaction. Only when none are there."""
    with contextlib.closing(sqlite3.connect(path)) as conn:
        have = conn.execute("SELECT count(*) FROM activities").fetchone()[0]
        if have:
            print(f"{have:,} activities there already")
            return
        started = time.perf_counter()
        rng = random.Random(seed)
        people = conn.execute(
            "SELECT id, household_id, party_category, birth_date FROM residents WHERE moved_out_on IS NULL "
            "AND birth_date BETWEEN ? AND ?",
            ((today - dt.timedelta(days=80 * 365)).isoformat(), (today - dt.timedelta(days=18 * 365)).isoformat()),
        ).fetchall()
        household_of = {rid: household for rid, household, _party, _birth in people}
        party = [rid for rid, _h, category, _b in people if category]
        cared = [rid for (rid,) in conn.execute(
            "SELECT id FROM residents WHERE care_tags != '' AND moved_out_on IS NULL")]
        admin = conn.execute("SELECT id FROM staff WHERE role = '管理员' ORDER BY id").fetchone()[0]
        auditor = conn.execute("SELECT id FROM staff WHERE role = '积分审核员' ORDER BY id").fetchone()[0]
        item, cap = conn.execute(
            "SELECT id, monthly_cap FROM point_items WHERE category = '志愿服务' AND name LIKE '%小时%'").fetchone()
        rate, rounding, activity_cap = 1, "down", 4  # the settings' defaults

        # Teams: six kinds in each of four 片区.
        teams, members, team_of = [], [], {}
        for area_number, area in enumerate(AREAS):
            for kind_number, (kind, size) in enumerate(TEAM_KINDS):
                team_id = area_number * len(TEAM_KINDS) + kind_number + 1
                pool = party if kind.startswith("红色") else [p[0] for p in people]
                chosen = rng.sample(pool, min(size, len(pool)))
                teams.append((team_id, f"{area}{kind}", chosen[0], "", 1, stamp(dt.datetime(2024, 3, 1, 9))))
                members += [(team_id, rid, "2024-03-01", None) for rid in chosen]
                team_of[(area, kind)] = (team_id, chosen)

        # Activities of the year (and two weeks ahead).
        first, last = today - dt.timedelta(days=364), today + dt.timedelta(days=14)
        planned: list[Plan] = []
        day = first
        while day <= last:
            for area in AREAS:
                if day.weekday() == 4:
                    planned.append(Plan(f"{area}每周五大扫除", "环境整治", dt.datetime.combine(day, dt.time(8, 30)), 120,
                                    f"{area}绿化带和楼道", team_of[(area, "环境卫生志愿队")], 40, 36))
                if day.weekday() in (1, 5):
                    night = day.weekday() == 5
                    planned.append(Plan("夜间平安巡逻" if night else "晚间平安巡逻", "安全巡逻",
                                    dt.datetime.combine(day, dt.time(20 if night else 19)), 270 if night else 120,
                                    f"{area}各楼栋及地下车库", team_of[(area, "平安巡逻队")], 8, 7))
                if day.day == 10 + AREAS.index(area):
                    for kind, title, team_kind in (("政策宣传", "反诈宣传进楼栋", "政策宣传队"),
                                                   ("便民服务", "便民服务日：义诊、义剪", "邻里关爱服务队"),
                                                   ("文体活动", "书香阅读分享会", "文体队"),
                                                   ("便民服务", "党员志愿服务日", "红色志愿服务队（党员）")):
                        planned.append(Plan(f"{area}{title}", kind, dt.datetime.combine(day, dt.time(9)), 150,
                                        "党群服务站", team_of[(area, team_kind)], 20, 18))
            for month_day, title in FESTIVALS:
                if f"{day:%m-%d}" == month_day:
                    planned.append(Plan(title, "节庆活动", dt.datetime.combine(day, dt.time(9)), 180, "小区中心花园",
                                    None, 150, 140))
            day += dt.timedelta(days=1)
        regular = sum(plan.size for plan in planned)
        visits = max(0, activities - len(planned))
        scale = max(0.1, (attendance - visits * 1.5) / max(1, regular))
        for _ in range(visits):  # care visits, more of them recently
            visited = rng.choice(cared)
            back = int(rng.triangular(0, 364, 0))
            starts = dt.datetime.combine(today - dt.timedelta(days=back), dt.time(rng.choice((9, 10, 15, 16))))
            planned.append(Plan(f"走访{visited}号居民", "关爱走访", starts, 60, "", None, None, 0, visited))
        planned.sort(key=lambda plan: plan.starts)

        now = dt.datetime.combine(today, dt.time(12))
        everyone = [p[0] for p in people]
        activity_rows, attendance_rows, entries, reviews = [], [], [], []
        next_entry = (conn.execute("SELECT max(id) FROM point_entries").fetchone()[0] or 0) + 1
        used: dict[tuple[int, str], int] = {}
        recent = today.replace(day=1)
        for activity_id, (title, kind, starts, minutes, place, team, headcount, size, visited) in enumerate(
                planned, 1):
            ends = starts + dt.timedelta(minutes=minutes)
            activity_rows.append((activity_id, title, kind, stamp(starts), stamp(ends), place, "",
                                  team[0] if team else None, headcount, "", None, visited, 0, admin,
                                  stamp(starts - dt.timedelta(days=3))))
            if ends > now:
                continue
            if visited is not None:
                crowd = rng.sample(everyone, rng.choice((1, 2)))
            else:
                wanted = max(1, round(size * scale * rng.uniform(0.7, 1.3)))
                pool = team[1] if team else everyone
                crowd = rng.sample(pool, min(len(pool), wanted))
                if len(crowd) < wanted:
                    crowd += rng.sample(everyone, wanted - len(crowd))
                crowd = list(dict.fromkeys(crowd))
            month = f"{starts:%Y-%m}"
            for rid in crowd:
                entry_id = None
                value = volunteer.points_for(minutes, rate, rounding, activity_cap)
                value = min(value, cap - used.get((rid, month), 0))
                if value > 0:
                    used[(rid, month)] = used.get((rid, month), 0) + value
                    entry_id, next_entry = next_entry, next_entry + 1
                    entries.append((entry_id, "deed", rid, household_of[rid], item, value, starts.date().isoformat(),
                                    f"志愿服务：{title}（{starts:%Y-%m-%d}）{volunteer.hours_text(minutes)}小时",
                                    admin, stamp(ends)))
                    if starts.date() < recent or rng.random() < 0.5:
                        reviews.append((entry_id, "approved", "", auditor, stamp(ends + dt.timedelta(days=1)), rid,
                                        household_of[rid], value, starts.date().isoformat()))
                attendance_rows.append((activity_id, rid, None, None, minutes, "", 0, entry_id, admin, stamp(ends)))

        conn.execute("BEGIN IMMEDIATE")
        conn.executemany("INSERT INTO volunteer_teams (id, name, leader_id, note, active, created_at) "
                         "VALUES (?, ?, ?, ?, ?, ?)", teams)
        conn.executemany("INSERT INTO team_members (team_id, resident_id, joined_on, left_on) VALUES (?, ?, ?, ?)",
                         members)
        conn.executemany(
            "INSERT INTO activities (id, title, kind, starts_at, ends_at, place, organiser, team_id, "
            "planned_headcount, description, points_cap, visited_id, cancelled, created_by, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", activity_rows)
        conn.executemany(
            "INSERT INTO point_entries (id, kind, resident_id, household_id, item_id, points, deed_date, note, "
            "recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", entries)
        conn.executemany(
            "INSERT INTO point_reviews (entry_id, decision, reason, reviewed_by, reviewed_at, resident_id, "
            "household_id, points, deed_date) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", reviews)
        conn.executemany(
            "INSERT INTO attendances (activity_id, resident_id, signed_in_at, signed_out_at, minutes, adjust_reason, "
            "withdrawn, entry_id, recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", attendance_rows)
        conn.commit()
        conn.execute("ANALYZE")
        print(f"added {len(teams)} teams ({len(members):,} members), {len(activity_rows):,} activities, "
              f"{len(attendance_rows):,} attendance rows, {len(entries):,} points entries "
              f"in {time.perf_counter() - started:.1f} s")



# ---------------------------------------------------------------------- the UI tab (志愿时长)


def time_tab(data_dir: Path, runs: int = 3) -> None:
    """Time the 志愿时长 tab: created, shown offscreen and drawn; then its past-activities list."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    try:
        from PySide6.QtWidgets import QApplication

        from ui.volunteer_tab import VolunteerTab
    except ImportError:
        print("志愿时长 tab not built yet")
        return
    app = QApplication.instance() or QApplication([])
    database = open_database(database_path(data_dir), backups_dir(data_dir))
    try:
        with database.read() as session:
            acting = onboarding.acting_staff(session)
        assert acting is not None
        opened, past, rows = [], [], 0
        for _ in range(runs):
            started = time.perf_counter()
            tab = VolunteerTab(database, acting[0], None)
            tab.resize(1280, 800)
            tab.show()
            app.processEvents()
            opened.append(time.perf_counter() - started)
            started = time.perf_counter()
            tab.activities.when.setCurrentIndex(1)  # 已结束: the past activities
            app.processEvents()
            past.append(time.perf_counter() - started)
            rows = tab.activities.model.rowCount()
            tab.close()
            tab.deleteLater()
            app.processEvents()
        print(f"志愿时长 tab: open and show {statistics.median(opened) * 1000:.0f} ms; "
              f"switch to 已结束 ({rows:,} activities) {statistics.median(past) * 1000:.0f} ms; "
              f"together {(statistics.median(opened) + statistics.median(past)) * 1000:.0f} ms "
              f"(target < {TARGET_MS} ms)")
    finally:
        database.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", type=Path, default=ROOT / "benchmarks" / "out" / "large")
    parser.add_argument("--households", type=int, default=10_000)
    parser.add_argument("--residents", type=int, default=30_000)
    parser.add_argument("--activities", type=int, default=1_500)
    parser.add_argument("--attendance", type=int, default=40_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--no-tab", action="store_true", help="skip timing the UI tab")
    args = parser.parse_args()
    today = dt.date.today()
    now = dt.datetime.combine(today, dt.time(12))

    path = generate(args.data_dir, args.households, args.residents)
    database = open_database(database_path(args.data_dir), backups_dir(args.data_dir))
    with database.write() as session:
        from station import staff
        from station.vocab import AUDITOR

        if not staff.accounts(session, AUDITOR):
            staff.add(session, staff.accounts(session)[0].id, "李建国", AUDITOR)
    fill_volunteering(path, today, args.activities, args.attendance)

    with database.read() as session:
        sql = session.connection().exec_driver_sql
        print(f"compound: {sql('SELECT count(*) FROM households').scalar():,} households, "
              f"{sql('SELECT count(*) FROM activities').scalar():,} activities, "
              f"{sql('SELECT count(*) FROM attendances').scalar():,} attendance rows, "
              f"{sql('SELECT count(*) FROM point_entries').scalar():,} ledger entries")
        busiest = sql("SELECT resident_id FROM attendances GROUP BY resident_id ORDER BY count(*) DESC LIMIT 1").scalar()
        biggest = sql("SELECT activity_id FROM attendances GROUP BY activity_id ORDER BY count(*) DESC LIMIT 1").scalar()
    assert isinstance(busiest, int) and isinstance(biggest, int)

    def page(name: str, action: Callable[[Session], object], target: bool = False) -> None:
        def run() -> object:
            with database.read() as session:
                return action(session)

        took, result = timed(run, args.runs)
        size = len(result.lines) if isinstance(result, volunteer.Certificate) else len(result)  # type: ignore[arg-type]
        flag = "  SLOW" if took * 1000 > TARGET_MS else ""
        aim = f" (target < {TARGET_MS} ms)" if target else ""
        print(f"  {name}: {took * 1000:.1f} ms ({size} rows){aim}{flag}")

    year = today.year
    print("volunteer services (median of", args.runs, "runs):")
    page("a year of past activities", lambda s: volunteer.activities(
        s, upcoming=False, now=now, first=today - dt.timedelta(days=365), last=today, limit=5000), target=True)
    page("past activities as the tab lists them (limit 2,000)",
         lambda s: volunteer.activities(s, upcoming=False, now=now, limit=2000))
    page("upcoming activities", lambda s: volunteer.activities(s, upcoming=True, now=now))
    page("one activity's attendance (the largest)", lambda s: volunteer.attendance(s, biggest))
    page("care overview (关爱走访)", lambda s: volunteer.care_overview(s, today))
    page("party hours (党员服务时长)", lambda s: volunteer.party_hours(s, year))
    page("team hours (服务队时长)", lambda s: volunteer.team_hours(s, year))
    page("a person's hours by month", lambda s: volunteer.person_hours(s, busiest, year))
    page("certificate (志愿服务时长证明), a year", lambda s: volunteer.certificate(
        s, busiest, today - dt.timedelta(days=365), today))
    database.close()

    if not args.no_tab:
        time_tab(args.data_dir)


if __name__ == "__main__":
    main()
