"""Staff accounts (工作人员): who records, who audits points, who administers.

Accounts are never deleted; one that leaves is marked inactive (停用) and its
name stays on everything it recorded.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import Staff
from station import audit
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


def require_role(session: Session, staff_id: int, roles: Sequence[str], doing: str) -> Staff:
    """The acting account, when it is active and has one of ``roles``; otherwise a clear refusal.

    Every service that needs a role checks it itself; a hidden button is not the check.
    """
    account = session.get(Staff, staff_id)
    if account is None or not account.active:
        raise ValidationError("这个工作人员账号不存在或已停用")
    if account.role not in roles:
        raise ValidationError(f"{doing}需要{'或'.join(roles)}账号，{account.name}是{account.role}")
    return account


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


def add(session: Session, staff_id: int, name: str, role: str) -> int:
    """Create an account (新增工作人员)."""
    name = _check(session, name, role, None)
    account = Staff(name=name, role=role, active=True)
    session.add(account)
    session.flush()
    audit.record(session, staff_id, "create", "staff", account.id, f"新增工作人员：{name}（{role}）",
                 after={"name": name, "role": role})
    return account.id


def update(session: Session, staff_id: int, account_id: int, name: str, role: str, active: bool) -> bool:
    """Rename an account, change its role, or mark it inactive. Returns False when nothing changed.

    The last active administrator stays an active administrator.
    """
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
