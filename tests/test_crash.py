"""Power cuts: a child process does real desk work in a loop and is killed (SIGKILL) at random moments.

After every kill the file passes ``integrity_check``, every action is wholly there or wholly absent (a
redemption has its points debit and its stock movement, or neither; a ticket's state is its last history
line's), and balances and stock equal the sums of their entries.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import random
import signal
import sqlite3
import sys
import time
from pathlib import Path

import pytest

from db.engine import Database
from db.migrate import open_database
from station import compound, points, residents, shop, staff, tickets
from station.compound import HouseholdInput
from station.errors import ValidationError
from station.points import EntryInput, ItemInput
from station.residents import ResidentInput
from station.shop import BasketLine
from station.tickets import TicketInput
from station.vocab import AUDITOR, CLERK

KILLS = 200
pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not hasattr(os, "fork"), reason="the crash test forks (Linux, macOS)")]


def _set_up(db: Database, admin: int) -> dict[str, object]:
    with db.write() as session:
        clerk = staff.add(session, admin, "王录入", CLERK)
        auditor = staff.add(session, admin, "李审核", AUDITOR)
        people = []
        for n in range(4):
            household = compound.add_household(session, admin, HouseholdInput("1", "1", str(101 + n)))
            people.append(residents.add_resident(session, admin, ResidentInput(
                "赵钱孙李"[n] + "明", household, "男", "1960-01-01", relation="户主")))
        item = points.add_item(session, admin, ItemInput("测试", "参加测试", "10"))
        soap = shop.save_item(session, admin, shop.ItemInput("洗衣皂", "5", "goods", "日用品", "块"))
        shop.stock_in(session, admin, soap, "100000", "采购")
    return {"clerk": clerk, "auditor": auditor, "people": people, "item": item, "soap": soap}


def _work(path: Path, ids: dict[str, object], seed: int, done: int) -> None:
    """The child: desk actions, each its own transaction, until it is killed; a byte to ``done`` after each
    committed transaction, so that the parent counts work rather than time."""
    rng = random.Random(seed)
    db = Database(path)
    today = dt.date.today()
    clerk, auditor, item, soap = ids["clerk"], ids["auditor"], ids["item"], ids["soap"]
    people: list[int] = ids["people"]  # type: ignore[assignment]
    while True:
        who = rng.choice(people)
        action = rng.randrange(4)
        with contextlib.suppress(ValidationError):
            if action == 0:  # a points entry, then its approval
                with db.write() as session:
                    entry = points.record(session, clerk, EntryInput(item, who, None, f"{today:%Y-%m-%d}"), today)  # type: ignore[arg-type]
                os.write(done, b".")
                with db.write() as session:
                    points.review(session, auditor, [entry], approve=True)  # type: ignore[arg-type]
                os.write(done, b".")
            elif action == 1:  # a redemption: points and stock in one transaction
                with db.write() as session:
                    shop.redeem(session, clerk, [BasketLine(soap, rng.randint(1, 3))], who, today=today)  # type: ignore[arg-type]
                os.write(done, b".")
            elif action == 2:  # a report taken at the desk
                with db.write() as session:
                    tickets.open_ticket(session, clerk, TicketInput("路灯不亮", "设施维修", place="北门"))  # type: ignore[arg-type]
                os.write(done, b".")
            else:  # a ticket moved on
                with db.write() as session:
                    found = tickets.tickets(session, tickets.TicketQuery(open_only=True), limit=1)
                    if found and found[0].state == tickets.ACCEPTED:
                        tickets.start(session, clerk, found[0].id)  # type: ignore[arg-type]
                    elif found:
                        tickets.finish(session, clerk, found[0].id, "已修好")  # type: ignore[arg-type]
                os.write(done, b".")


def _check(path: Path) -> tuple[int, int]:
    """Everything the desk relies on, straight from the file; (redemptions, tickets) seen."""
    with contextlib.closing(sqlite3.connect(path)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        # a redemption is whole: its lines, its approved debit of the same points, its stock out
        broken = conn.execute(
            "SELECT r.id FROM redemptions r "
            "LEFT JOIN point_entries e ON e.id = r.entry_id AND e.points = -r.points "
            "LEFT JOIN point_reviews v ON v.entry_id = r.entry_id AND v.decision = 'approved' "
            "WHERE e.id IS NULL OR v.entry_id IS NULL "
            "OR r.points != (SELECT sum(quantity * price) FROM redemption_lines l WHERE l.redemption_id = r.id) "
            "OR (SELECT -sum(quantity) FROM stock_moves m WHERE m.redemption_id = r.id) "
            "   != (SELECT sum(quantity) FROM redemption_lines l WHERE l.redemption_id = r.id)").fetchall()
        assert broken == []
        # no debit without its redemption, no stock out without its redemption
        assert conn.execute("SELECT count(*) FROM point_entries WHERE kind = 'redemption' AND id NOT IN "
                            "(SELECT entry_id FROM redemptions)").fetchone()[0] == 0
        assert conn.execute("SELECT count(*) FROM stock_moves WHERE kind = 'out' AND redemption_id IS NULL"
                            ).fetchone()[0] == 0
        # balances are the sums of the approved entries, never below zero; stock likewise
        sums = dict(conn.execute("SELECT e.resident_id, sum(e.points) FROM point_entries e JOIN point_reviews v "
                                 "ON v.entry_id = e.id AND v.decision = 'approved' GROUP BY e.resident_id"))
        balances = dict(conn.execute("SELECT resident_id, sum(points) FROM point_reviews WHERE decision = "
                                     "'approved' GROUP BY resident_id"))
        assert sums == balances and all(value >= 0 for value in balances.values())
        assert conn.execute("SELECT min(s) FROM (SELECT sum(quantity) s FROM stock_moves GROUP BY item_id)"
                            ).fetchone()[0] >= 0
        # a ticket's state is its last history line's, and it has its first
        assert conn.execute(
            "SELECT count(*) FROM tickets t WHERE t.state != (SELECT to_state FROM ticket_events e "
            "WHERE e.ticket_id = t.id ORDER BY e.id DESC LIMIT 1) OR NOT EXISTS "
            "(SELECT 1 FROM ticket_events e WHERE e.ticket_id = t.id AND e.kind = 'accepted')").fetchone()[0] == 0
        # every change has its audit line
        assert conn.execute("SELECT count(*) FROM redemptions r WHERE NOT EXISTS (SELECT 1 FROM audit_log a "
                            "WHERE a.entity = 'redemption' AND a.entity_id = r.id)").fetchone()[0] == 0
        assert conn.execute("SELECT count(*) FROM tickets t WHERE (SELECT count(*) FROM audit_log a WHERE "
                            "a.entity = 'ticket' AND a.entity_id = t.id) != (SELECT count(*) FROM ticket_events e "
                            "WHERE e.ticket_id = t.id)").fetchone()[0] == 0
        return (conn.execute("SELECT count(*) FROM redemptions").fetchone()[0],
                conn.execute("SELECT count(*) FROM tickets").fetchone()[0])


def _wait_for(progress: int, actions: int) -> None:
    """Until the child has committed ``actions`` more transactions (however loaded the machine is).

    Raises:
        AssertionError: the child stopped (it met an error) or made no progress in a minute.
    """
    import select

    while actions > 0:
        ready, _w, _x = select.select([progress], [], [], 60)
        assert ready, "the child did no work for a minute"
        got = os.read(progress, actions)
        assert got, "the child stopped on its own: it met an error"
        actions -= len(got)


def test_killed_at_random_moments_two_hundred_times_nothing_is_half_done(database: Database, staff_id: int) -> None:
    """The kill lands after a counted number of committed transactions (0 to 3) and a moment more, so the
    window adapts to the machine's speed: a loaded machine gets the same work between kills as a quiet one."""
    ids = _set_up(database, staff_id)
    path = database.path
    database.close()  # the child opens its own engine; nothing of the parent's crosses the fork
    rng = random.Random(2026)
    seen = (0, 0)
    for kill in range(KILLS):
        progress, done = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child never returns into pytest
            try:
                os.close(progress)
                _work(path, ids, seed=kill, done=done)
            finally:
                os._exit(0)
        os.close(done)
        try:
            _wait_for(progress, rng.randint(0, 3))
            time.sleep(rng.uniform(0, 0.03))  # somewhere inside the next transaction, or between two
            os.kill(pid, signal.SIGKILL)
            _, status = os.waitpid(pid, 0)
        finally:
            os.close(progress)
        assert os.WIFSIGNALED(status), "the child stopped on its own: it met an error"
        seen = _check(path)
    assert seen[0] > 20 and seen[1] > 20, f"too little work between the kills: {seen}"
    reopened = open_database(path, path.parent / "backups")  # and the program opens it as usual
    reopened.close()
    print(f"{KILLS} kills, {seen[0]} redemptions and {seen[1]} tickets whole", file=sys.stderr)
