"""Station settings (设置): the numbers a station may change, with the articles' values as defaults.

Each setting is checked by its own rule before it is stored; every change is audited.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from db.models import Setting
from station import audit
from station.errors import ValidationError


@dataclass(frozen=True)
class StarLevel:
    """One step of the half-year rating: at least ``points`` makes a ``stars``-star family (星级家庭)."""

    points: int
    stars: int
    voucher: int  # yuan


# The articles' defaults: ≥60 三星家庭 ¥100, ≥80 四星 ¥150, ≥100 五星 ¥200.
DEFAULT_STAR_LEVELS = (StarLevel(60, 3, 100), StarLevel(80, 4, 150), StarLevel(100, 5, 200))

STAR_LEVELS = "points.star_levels"
HALF_YEAR_START = "points.half_year_start_month"
OBJECTION_DAYS = "points.objection_days"


def _check_star_levels(value: Any) -> Any:
    try:
        levels = [StarLevel(int(v["points"]), int(v["stars"]), int(v["voucher"])) for v in value]
    except (TypeError, KeyError, ValueError):
        raise ValidationError("星级标准格式不对") from None
    if not levels:
        raise ValidationError("至少要有一个星级")
    if any(level.points <= 0 or level.voucher < 0 or not 1 <= level.stars <= 9 for level in levels):
        raise ValidationError("积分线须大于0，奖券面值不能为负")
    ordered = sorted(levels, key=lambda level: level.points)
    if [level.stars for level in ordered] != sorted({level.stars for level in levels}):
        raise ValidationError("积分线越高，星级应越高，且星级不能重复")
    return [{"points": lv.points, "stars": lv.stars, "voucher": lv.voucher} for lv in ordered]


def _check_month(value: Any) -> Any:
    if not isinstance(value, int) or not 1 <= value <= 6:
        raise ValidationError("半年评星的起始月份应为1至6月")
    return value


def _check_days(value: Any) -> Any:
    if not isinstance(value, int) or not 1 <= value <= 60:
        raise ValidationError("公示天数应在1至60天之间")
    return value


@dataclass(frozen=True)
class _Spec:
    label: str
    default: Any
    check: Callable[[Any], Any]


SPECS: dict[str, _Spec] = {
    STAR_LEVELS: _Spec("星级家庭标准", [
        {"points": lv.points, "stars": lv.stars, "voucher": lv.voucher} for lv in DEFAULT_STAR_LEVELS
    ], _check_star_levels),
    HALF_YEAR_START: _Spec("半年评星起始月份", 1, _check_month),
    OBJECTION_DAYS: _Spec("公示天数", 7, _check_days),
}


def get(session: Session, key: str) -> Any:
    """The stored value of a setting, or its default."""
    row = session.get(Setting, key)
    return SPECS[key].default if row is None else json.loads(row.value)


def put(session: Session, staff_id: int, key: str, value: Any) -> bool:
    """Check and store a setting. Returns False when the value did not change."""
    spec = SPECS[key]
    value = spec.check(value)
    before = get(session, key)
    if before == value:
        return False
    row = session.get(Setting, key)
    text = json.dumps(value, ensure_ascii=False)
    if row is None:
        session.add(Setting(key=key, value=text))
    else:
        row.value = text
    audit.record(session, staff_id, "update", "setting", None, f"修改设置：{spec.label}",
                 before={key: before}, after={key: value})
    return True


def star_levels(session: Session) -> tuple[StarLevel, ...]:
    """The rating steps, lowest first."""
    return tuple(StarLevel(v["points"], v["stars"], v["voucher"]) for v in get(session, STAR_LEVELS))
