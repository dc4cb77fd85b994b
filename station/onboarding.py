"""First run (初始设置): the station's own details and its first staff account."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import StationInfo, Staff
from station import audit, points
from station import staff as staff_service
from station.errors import ValidationError
from station.validation import clean, clean_text
from station.vocab import ADMIN


@dataclass(frozen=True)
class StationDetails:
    name: str
    community: str
    street: str


def is_set_up(session: Session) -> bool:
    return session.get(StationInfo, 1) is not None


def details(session: Session) -> StationDetails | None:
    info = session.get(StationInfo, 1)
    return None if info is None else StationDetails(info.name, info.community, info.street)


def set_up(session: Session, station: StationDetails, staff_name: str, password: str | None = None,
           confirm: str | None = None) -> int:
    """Save the station's details, create the first staff account (管理员) with its own password and load
    the default points catalogue (默认积分细则), which the station then adapts.

    Without ``password`` the account has none (the demo and tests set theirs afterwards); nobody can
    sign in to it then until it gets one.

    Returns the new staff account's id.
    """
    errors = {}
    name = clean_text(station.name)
    staff = clean(staff_name)
    if not name:
        errors["name"] = "请填写服务站名称"
    elif len(name) > 50:
        errors["name"] = "服务站名称不超过50个字"
    if not staff:
        errors["staff"] = "请填写您的姓名"
    elif len(staff) > 20:
        errors["staff"] = "姓名不超过20个字"
    if password is not None and not errors:
        try:
            staff_service.check_new_password(password, password if confirm is None else confirm)
        except ValidationError as error:
            errors.update(error.errors)
    if errors:
        raise ValidationError(errors)
    if is_set_up(session):
        raise ValidationError("本服务站已经设置过了")
    info = StationInfo(id=1, name=name, community=clean_text(station.community), street=clean_text(station.street))
    account = Staff(name=staff, role=ADMIN, active=True,
                    password_hash=None if password is None else staff_service.hash_password(password))
    session.add_all([info, account])
    session.flush()
    audit.record(
        session, account.id, "set_up", "station", 1, f"初始设置：{name}",
        after={"name": name, "community": info.community, "street": info.street, "staff": staff},
    )
    points.load_default_catalogue(session, account.id)
    return account.id


def acting_staff(session: Session) -> tuple[int, str] | None:
    """The first active administrator: who set the station up (the demo and the benchmarks write as them).

    Never the account a staff action is recorded under: that is the signed-in one.
    """
    row = session.execute(
        select(Staff.id, Staff.name).where(Staff.active.is_(True)).order_by(Staff.role != ADMIN, Staff.id)
    ).first()
    return None if row is None else (row[0], row[1])
