"""Staff passwords: hashed with scrypt, never stored in clear; wrong tries slow down; admins reset; rules."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select, text

from db.engine import Database
from db.models import AuditEntry, Staff
from station import staff
from station.errors import ValidationError
from station.vocab import CLERK

NOW = dt.datetime(2026, 12, 2, 9, 0)


@pytest.fixture
def clerk(database: Database, staff_id: int) -> int:
    with database.write() as session:
        return staff.add(session, staff_id, "王录入", CLERK)


def _login(db: Database, account: int, password: str, at: dt.datetime = NOW) -> staff.LoginOutcome:
    with db.write() as session:
        return staff.login(session, account, password, at)


def test_the_first_sign_in_sets_a_password_kept_only_as_a_salted_hash(database: Database, clerk: int) -> None:
    with database.write() as session:
        assert not staff.has_password(session, clerk)
        staff.set_first_password(session, clerk, "kaimen2026", "kaimen2026")
    with database.read() as session:
        stored = session.scalar(select(Staff.password_hash).where(Staff.id == clerk))
        log = " ".join(f"{a.summary} {a.before} {a.after}" for a in session.scalars(select(AuditEntry)))
    assert stored is not None and stored.startswith("scrypt$16384$8$1$") and "kaimen2026" not in stored
    assert "kaimen2026" not in log
    assert _login(database, clerk, "kaimen2026").account is not None
    with database.write() as session, pytest.raises(ValidationError, match="已经有密码了"):
        staff.set_first_password(session, clerk, "another1", "another1")


@pytest.mark.parametrize(("password", "confirm", "field"), [
    ("abc", "abc", "password"),
    ("111111", "111111", "password"),
    ("123456", "123456", "password"),
    ("kaimen2026", "kaimen2025", "confirm"),
])
def test_a_weak_or_mistyped_password_is_refused(database: Database, clerk: int, password: str, confirm: str,
                                                field: str) -> None:
    with database.write() as session, pytest.raises(ValidationError) as caught:
        staff.set_first_password(session, clerk, password, confirm)
    assert field in caught.value.errors


def test_wrong_passwords_slow_down_and_the_wait_survives_a_restart(database: Database, clerk: int) -> None:
    with database.write() as session:
        staff.set_first_password(session, clerk, "kaimen2026", "kaimen2026")
    said = [_login(database, clerk, "wrong", NOW).message for _ in range(2)]
    assert said == ["密码不对，再错2次要等一会儿才能再试", "密码不对，再错1次要等一会儿才能再试"]
    assert _login(database, clerk, "wrong", NOW).message == "密码不对，请15秒后再试"
    database.engine.dispose()  # the program is closed and opened again
    too_soon = _login(database, clerk, "kaimen2026", NOW + dt.timedelta(seconds=10))
    assert too_soon.account is None and too_soon.message == "密码错误次数过多，请5秒后再试"
    assert _login(database, clerk, "wrong", NOW + dt.timedelta(seconds=16)).message == "密码不对，请30秒后再试"
    assert _login(database, clerk, "kaimen2026", NOW + dt.timedelta(seconds=50)).account is not None
    assert _login(database, clerk, "wrong", NOW + dt.timedelta(seconds=51)).message.startswith("密码不对，再错2次")
    with database.read() as session:
        kinds = [a.action for a in session.scalars(select(AuditEntry).where(AuditEntry.entity == "staff",
                                                                            AuditEntry.entity_id == clerk))]
    assert kinds.count("login_failed") == 5 and kinds.count("login") == 1


def test_an_admin_resets_a_password_and_a_clerk_cannot_reset_anothers(database: Database, staff_id: int,
                                                                     clerk: int) -> None:
    with database.write() as session:
        staff.set_first_password(session, clerk, "kaimen2026", "kaimen2026")
    for _ in range(4):
        _login(database, clerk, "wrong")
    with database.write() as session:
        staff.set_password(session, staff_id, clerk, "xinmima88", "xinmima88")  # the admin; the wait is lifted
    assert _login(database, clerk, "xinmima88").account is not None
    with database.write() as session, pytest.raises(ValidationError, match="需要管理员"):
        staff.set_password(session, clerk, staff_id, "takeover1", "takeover1")
    for current, message in (("", "请输入现在的密码"), ("xinmima89", "现在的密码不对")):  # a desk left open
        with database.write() as session, pytest.raises(ValidationError, match=message):
            staff.set_password(session, clerk, clerk, "ziji2026", "ziji2026", current)
    with database.write() as session:
        staff.set_password(session, clerk, clerk, "ziji2026", "ziji2026", "xinmima88")  # one's own
    assert _login(database, clerk, "ziji2026").account is not None
    with database.read() as session:
        assert session.execute(text("SELECT count(*) FROM staff WHERE password_hash LIKE '%ziji%'")).scalar() == 0


def test_the_audit_log_names_the_fields_in_chinese(database: Database, staff_id: int, clerk: int) -> None:
    from station import audit

    with database.write() as session:
        staff.update(session, staff_id, clerk, "王录入", CLERK, False)
    with database.read() as session:
        row = audit.entries(session, staff_id, audit.LogQuery(entity="staff", action="update"))[0]
    assert row.before == "名称：王录入；角色：录入员；在用：是" and row.after.endswith("在用：否")
