"""Staff accounts (工作人员): who records, who audits points, who administers.

Accounts are never deleted; one that leaves is marked inactive (停用) and its
name stays on everything it recorded.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import Staff
from station import access, audit
from station.access import require_role
from station.errors import NotFound, ValidationError
from station.validation import clean
from station.vocab import ADMIN, STAFF_ROLES


@dataclass(frozen=True)
class StaffView:
    id: int
    name: str
    role: str
    active: bool


def accounts(session: Session, role: str | None = None, active_only: bool = False) -> list[StaffView]:
    """Staff accounts by name; only those of ``role`` when given."""
    stmt = select(Staff).order_by(Staff.active.desc(), Staff.id)
    if role is not None:
        stmt = stmt.where(Staff.role == role)
    if active_only:
        stmt = stmt.where(Staff.active.is_(True))
    return [StaffView(s.id, s.name, s.role, s.active) for s in session.scalars(stmt)]


def get(session: Session, staff_id: int) -> StaffView:
    account = session.get(Staff, staff_id)
    if account is None:
        raise NotFound("找不到这个工作人员账号")
    return StaffView(account.id, account.name, account.role, account.active)


def _check(session: Session, name: str, role: str, staff_id: int | None) -> str:
    name = clean(name)
    errors = {}
    if not name:
        errors["name"] = "请填写姓名"
    elif len(name) > 20:
        errors["name"] = "姓名不超过20个字"
    elif session.scalar(select(Staff.id).where(Staff.name == name, Staff.id != (staff_id or 0))):
        errors["name"] = f"已经有叫“{name}”的账号了"
    if role not in STAFF_ROLES:
        errors["role"] = "请选择角色"
    if errors:
        raise ValidationError(errors)
    return name


def add(session: Session, staff_id: int, name: str, role: str, password: str | None = None,
        confirm: str | None = None, one_time: bool = True) -> int:
    """Create an account (新增工作人员) with a one-time password the administrator hands over.

    The new account's owner changes the one-time password at the first sign-in; an account created
    without one cannot be signed in to until an administrator gives it one (重设密码). ``one_time``
    False keeps the password as it is (the made-up demo's accounts, whose passwords the README names).
    """
    require_role(session, staff_id, access.STAFF, "新增工作人员")
    name = _check(session, name, role, None)
    if password is not None:
        check_new_password(password, password if confirm is None else confirm)
    account = Staff(name=name, role=role, active=True, must_change_password=password is not None and one_time,
                    password_hash=None if password is None else hash_password(password))
    session.add(account)
    session.flush()
    audit.record(session, staff_id, "create", "staff", account.id, f"新增工作人员：{name}（{role}）",
                 after={"name": name, "role": role})
    return account.id


def update(session: Session, staff_id: int, account_id: int, name: str, role: str, active: bool) -> bool:
    """Rename an account, change its role, or mark it inactive. Returns False when nothing changed.

    The last active administrator stays an active administrator.
    """
    require_role(session, staff_id, access.STAFF, "修改工作人员")
    account = session.get(Staff, account_id)
    if account is None:
        raise NotFound("找不到这个工作人员账号")
    name = _check(session, name, role, account_id)
    if account.role == ADMIN and account.active and (role != ADMIN or not active):
        admins = session.scalar(select(func.count()).where(Staff.role == ADMIN, Staff.active.is_(True)))
        if admins == 1:
            raise ValidationError({"role": "这是唯一的管理员账号，不能改角色或停用"})
    before = {"name": account.name, "role": account.role, "active": account.active}
    after = {"name": name, "role": role, "active": active}
    if before == after:
        return False
    account.name, account.role, account.active = name, role, active
    audit.record(session, staff_id, "update", "staff", account_id, f"修改工作人员：{name}",
                 before=before, after=after)
    return True


# ------------------------------------------------------------------ passwords and signing in (登录)

PASSWORD_MIN = 6
# scrypt is memory-hard; OpenSSL refuses these parameters without an explicit maxmem.
_SCRYPT = {"n": 2**14, "r": 8, "p": 1}
_MAXMEM = 64 * 1024 * 1024
FREE_TRIES = 3  # wrong passwords before each further try must wait
LONGEST_WAIT = dt.timedelta(minutes=15)


def hash_password(password: str) -> str:
    """scrypt$16384$8$1$<salt>$<hash>, salted; the password itself is never stored or logged."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, maxmem=_MAXMEM, dklen=32, **_SCRYPT)
    return "$".join(["scrypt", *(str(_SCRYPT[k]) for k in ("n", "r", "p")),
                     base64.b64encode(salt).decode(), base64.b64encode(digest).decode()])


def _matches(stored: str, password: str) -> bool:
    try:
        kind, n, r, p, salt, digest = stored.split("$")
        if kind != "scrypt":
            return False
        again = hashlib.scrypt(password.encode("utf-8"), salt=base64.b64decode(salt), n=int(n), r=int(r),
                               p=int(p), maxmem=_MAXMEM, dklen=32)
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(again, base64.b64decode(digest))


def check_new_password(password: str, confirm: str) -> None:
    """A password a desk worker can remember and a visitor cannot guess.

    Raises:
        ValidationError: too short, one character repeated, a run like 123456, or the two entries differ.
    """
    errors: dict[str, str] = {}
    if len(password) < PASSWORD_MIN:
        errors["password"] = f"密码至少{PASSWORD_MIN}位"
    elif len(set(password)) == 1 or password in "0123456789" or password in "9876543210" \
            or password.lower() in "abcdefghijklmnopqrstuvwxyz":
        errors["password"] = "密码太简单（不要用同一个字符或123456这样的连续数字）"
    elif password != confirm:
        errors["confirm"] = "两次输入的密码不一样"
    if errors:
        raise ValidationError(errors)


def has_password(session: Session, account_id: int) -> bool:
    account = session.get(Staff, account_id)
    return account is not None and account.password_hash is not None


def _wait_text(wait: dt.timedelta) -> str:
    seconds = max(1, int(wait.total_seconds() + 0.999))
    return f"{seconds // 60}分{seconds % 60}秒" if seconds >= 60 else f"{seconds}秒"


@dataclass(frozen=True)
class LoginOutcome:
    """A sign-in try: the account when the password was right, else why not (the wrong try is kept).

    ``must_change`` says the password was a one-time one from an administrator: the owner sets their
    own before the desk opens.
    """

    account: StaffView | None
    message: str = ""
    must_change: bool = False


def nobody_has_a_password(session: Session) -> bool:
    """A station whose accounts have never signed in (set up before passwords were kept)."""
    return session.scalar(select(Staff.id).where(Staff.password_hash.is_not(None)).limit(1)) is None


def _try_password(session: Session, account_id: int, password: str, now: dt.datetime,
                  doing: str) -> tuple[Staff | None, LoginOutcome]:
    """The account when ``password`` is its own; a wrong one counts toward the wait, an empty one does not."""
    account = session.get(Staff, account_id)
    if account is None or not account.active:
        raise ValidationError({"account": "这个工作人员账号不存在或已停用"})
    if account.password_hash is None:
        raise ValidationError({"password": f"{account.name}的账号还没有密码，请管理员在“设置 → 工作人员”"
                                           "里重设密码，给一个一次性密码"})
    if not password:
        return None, LoginOutcome(None, "请输入密码")
    if account.locked_until is not None and now < account.locked_until:
        return None, LoginOutcome(None, f"密码错误次数过多，请{_wait_text(account.locked_until - now)}后再试")
    if not _matches(account.password_hash, password):
        account.failed_logins += 1
        extra = account.failed_logins - FREE_TRIES
        if extra >= 0:
            account.locked_until = now + min(dt.timedelta(seconds=15 * 2**extra), LONGEST_WAIT)
        audit.record(session, account.id, "login_failed", "staff", account.id, f"密码错误（{doing}）：{account.name}")
        left = FREE_TRIES - account.failed_logins
        if left > 0:
            return None, LoginOutcome(None, f"密码不对，再错{left}次要等一会儿才能再试")
        assert account.locked_until is not None
        return None, LoginOutcome(None, f"密码不对，请{_wait_text(account.locked_until - now)}后再试")
    account.failed_logins, account.locked_until = 0, None
    view = StaffView(account.id, account.name, account.role, account.active)
    return account, LoginOutcome(view, must_change=account.must_change_password)


def login(session: Session, account_id: int, password: str, now: dt.datetime | None = None) -> LoginOutcome:
    """登录 (or unlock the screen): the account when the password is right.

    After three wrong passwords each further try must wait, longer each time (15 s, 30 s, 1 min … 15 min).
    A wrong try is returned, not raised, so that the count and the wait are committed with the
    caller's transaction: closing the program does not skip the wait. An empty password is not a try.

    Raises:
        ValidationError: unknown or inactive account, or one with no password yet.
    """
    account, outcome = _try_password(session, account_id, password, now or dt.datetime.now(), "登录")
    if account is not None:
        audit.record(session, account.id, "login", "staff", account.id, f"登录：{account.name}")
    return outcome


def verify(session: Session, account_id: int, password: str, doing: str,
           roles: Sequence[str] = access.EVERYONE, now: dt.datetime | None = None) -> LoginOutcome:
    """换人审核 and the like: another member of the group types their own password at this desk.

    The action that follows, in the same transaction, is theirs alone. A wrong password counts toward
    that account's wait, as at sign-in; a one-time password must first be changed at a sign-in.

    Raises:
        ValidationError: unknown, inactive or passwordless account, or one without ``roles``.
    """
    account = session.get(Staff, account_id)
    if account is not None and account.active and account.role not in roles:
        raise ValidationError({"account": f"{access.needs(roles, doing)}，{account.name}是{account.role}"})
    found, outcome = _try_password(session, account_id, password, now or dt.datetime.now(), doing)
    if found is None:
        return outcome
    if found.must_change_password:
        return LoginOutcome(None, f"{found.name}的密码是管理员给的一次性密码，请先用它登录一次，改成自己的密码")
    audit.record(session, found.id, "confirm", "staff", found.id, f"{doing}：{found.name}输入了自己的密码")
    return outcome


def set_first_password(session: Session, account_id: int, password: str, confirm: str) -> StaffView:
    """第一次登录 of a station nobody has signed in to yet (set up before passwords were kept): the
    account sets its own password and is signed in. Once any account has a password, a new account
    gets a one-time password from an administrator instead."""
    account = session.get(Staff, account_id)
    if account is None or not account.active:
        raise ValidationError({"account": "这个工作人员账号不存在或已停用"})
    if account.password_hash is not None:
        raise ValidationError({"password": "这个账号已经有密码了，请直接登录"})
    if not nobody_has_a_password(session):  # else a passer-by could claim a new account
        raise ValidationError({"password": f"{account.name}的账号还没有密码，请管理员在“设置 → 工作人员”"
                                           "里重设密码，给一个一次性密码"})
    check_new_password(password, confirm)
    account.password_hash = hash_password(password)
    account.failed_logins, account.locked_until = 0, None
    account.must_change_password = False
    audit.record(session, account.id, "set_password", "staff", account.id, f"设置密码：{account.name}")
    return StaffView(account.id, account.name, account.role, account.active)


def set_password(session: Session, staff_id: int, account_id: int, password: str, confirm: str,
                 current: str | None = None) -> None:
    """修改密码 (one's own) or 重设密码 (an administrator for anyone else: a one-time password, changed at
    the next sign-in); the wait after wrong tries is lifted.

    One's own password is changed only with the present one (``current``): someone at a desk left
    open cannot take the account over.

    Raises:
        ValidationError: not allowed, the present password is wrong, or the new one is too weak.
    """
    acting = session.get(Staff, staff_id)
    if acting is None or not acting.active:
        raise ValidationError("这个工作人员账号不存在或已停用")
    if staff_id != account_id:
        require_role(session, staff_id, access.STAFF, "重设别人的密码")
    account = session.get(Staff, account_id)
    if account is None:
        raise NotFound("找不到这个工作人员账号")
    if staff_id == account_id and account.password_hash is not None:
        if not current:
            raise ValidationError({"current": "请输入现在的密码"})
        if not _matches(account.password_hash, current):
            raise ValidationError({"current": "现在的密码不对"})
    check_new_password(password, confirm)
    if current and password == current:
        raise ValidationError({"password": "新密码不能和现在的密码一样"})
    account.password_hash = hash_password(password)
    account.failed_logins, account.locked_until = 0, None
    # A password an administrator gave is a one-time one: its owner sets their own at the next sign-in.
    account.must_change_password = staff_id != account_id
    doing = "修改密码" if staff_id == account_id else "重设密码（一次性密码）"
    audit.record(session, staff_id, "set_password", "staff", account_id, f"{doing}：{account.name}")
