"""Who may do what (权限): the roles each kind of action needs, and the check every service makes.

The services call :func:`require_role` with one of the tuples below; the window asks :func:`allows`
with the same tuple to hide or disable what the signed-in role may not use. The service check is the
real one: a hidden button is only a courtesy.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from db.models import Staff
from station.errors import ValidationError
from station.vocab import ADMIN, AUDITOR, CARE_ROLES, CLERK, STAFF_ROLES

EVERYONE = STAFF_ROLES
"""The desk's daily work: residents, recording points, volunteering, redemptions, meetings, tickets."""
APPROVE_POINTS = (AUDITOR,)
"""积分审核: approving or rejecting entries (the points audit group)."""
CLOSE_MONTH = (AUDITOR, ADMIN)
RATE_STARS = (AUDITOR, ADMIN)
CATALOGUE = (ADMIN,)
"""积分细则: adding, changing and retiring items."""
SHELF = (ADMIN, AUDITOR)
"""积分超市 shelf and merchants."""
CANCEL_REDEMPTION = (AUDITOR,)
ISSUE_VOUCHERS = (ADMIN, AUDITOR)
SETTINGS = (ADMIN,)
STAFF = (ADMIN,)
AUDIT_LOG = (ADMIN,)
SEE_CARE = CARE_ROLES
"""Care tags (关怀标签) and care visits (关爱走访)."""
ROSTER = (CLERK, ADMIN)
"""导入居民花名册: the desk that keeps the residents' records (the audit group checks points, not rosters)."""
EXPORT_RESIDENTS = (CLERK, ADMIN)
FULL_ID_NUMBERS = (ADMIN,)
"""An export with full ID numbers (包含完整身份证号, for reporting upwards only)."""
BACKUP_COPY = (ADMIN,)
"""备份到…: a copy of the whole database to another folder or a USB stick."""
RESTORE = (ADMIN,)
"""从备份恢复…: putting an older copy in place of the data."""


def allows(role: str | None, roles: Sequence[str]) -> bool:
    """Whether an account of ``role`` may do what needs ``roles``."""
    return role is not None and role in roles


def needs(roles: Sequence[str], doing: str = "") -> str:
    """Why a control is not offered: 「需要管理员账号」, or 「导出居民名单需要录入员或管理员账号」."""
    return f"{doing}需要{'或'.join(roles)}账号"


def require_role(session: Session, staff_id: int, roles: Sequence[str], doing: str) -> Staff:
    """The acting account, when it is active and has one of ``roles``; otherwise a clear refusal.

    Every service that needs a role checks it itself; a hidden button is not the check.

    Raises:
        ValidationError: the account does not exist, is 停用, or has another role.
    """
    account = session.get(Staff, staff_id)
    if account is None or not account.active:
        raise ValidationError("这个工作人员账号不存在或已停用")
    if account.role not in roles:
        raise ValidationError(f"{needs(roles, doing)}，{account.name}是{account.role}")
    return account


__all__ = ["APPROVE_POINTS", "AUDIT_LOG", "BACKUP_COPY", "CANCEL_REDEMPTION", "CATALOGUE", "CLOSE_MONTH",
           "EVERYONE", "EXPORT_RESIDENTS", "FULL_ID_NUMBERS", "ISSUE_VOUCHERS", "RATE_STARS", "RESTORE", "ROSTER",
           "SEE_CARE", "SETTINGS", "SHELF", "STAFF", "allows", "needs", "require_role"]
