"""Station settings (设置): the numbers a station may change, with the articles' values as defaults.

Each setting is checked by its own rule before it is stored; every change is audited.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Setting, StarPeriod
from station import access, audit
from station.errors import ValidationError
from station.access import require_role
from station.vocab import ADMIN


@dataclass(frozen=True)
class StarLevel:
    """One step of the half-year rating: at least ``points`` makes a ``stars``-star family (星级家庭)."""

    points: int
    stars: int
    voucher: int  # yuan


# The articles' defaults: ≥60 三星家庭 ¥100, ≥80 四星 ¥150, ≥100 五星 ¥200.
DEFAULT_STAR_LEVELS = (StarLevel(60, 3, 100), StarLevel(80, 4, 150), StarLevel(100, 5, 200))

STAR_LEVELS = "points.star_levels"
POINTS_PER_HOUR = "volunteer.points_per_hour"
ROUNDING = "volunteer.rounding"
ACTIVITY_CAP = "volunteer.activity_cap"
VISIT_DAYS = "volunteer.visit_days"
ROUNDINGS = {"down": "不足1分的舍去", "nearest": "四舍五入", "up": "不足1分的按1分计"}
HALF_YEAR_START = "points.half_year_start_month"
OBJECTION_DAYS = "points.objection_days"
TICKET_DAYS = "tickets.days"
URGENT_DAYS = "tickets.urgent_days"
FOLLOW_UP_DAYS = "tickets.follow_up_days"
BACKUP_MINUTES = "backup.minutes"
LOCK_MINUTES = "security.lock_minutes"
BACKUP_THINNING = "backup.thinning"
DEFAULT_THINNING = {"keep_all_days": 2, "daily_days": 14, "weekly_weeks": 8, "monthly_months": 12}
# 问题工单: how many days each category may take (办理时限), by default.
DEFAULT_TICKET_DAYS = {"环境卫生": 3, "停车秩序": 3, "安全隐患": 2, "设施维修": 7, "矛盾纠纷": 15, "物业服务": 7,
                       "困难帮扶": 7, "其他": 7}


def _check_star_levels(value: Any) -> Any:
    try:
        if not all(isinstance(v[k], int) and not isinstance(v[k], bool)
                   for v in value for k in ("points", "stars", "voucher")):
            raise ValidationError("积分线、星级和奖券面值都应为整数")
        levels = [StarLevel(v["points"], v["stars"], v["voucher"]) for v in value]
    except (TypeError, KeyError):
        raise ValidationError("星级标准格式不对") from None
    if not levels:
        raise ValidationError("至少要有一个星级")
    if any(level.points <= 0 or level.voucher < 0 or not 1 <= level.stars <= 9 for level in levels):
        raise ValidationError("积分线须大于0，奖券面值不能为负")
    ordered = sorted(levels, key=lambda level: level.stars)
    if any(low.points >= high.points for low, high in zip(ordered, ordered[1:])) \
            or len({level.stars for level in levels}) != len(levels):
        raise ValidationError("星级越高，积分线应越高，且星级不能重复")
    if any(low.voucher > high.voucher for low, high in zip(ordered, ordered[1:])):
        raise ValidationError("星级越高，奖券面值不应越低")
    return [{"points": lv.points, "stars": lv.stars, "voucher": lv.voucher} for lv in ordered]


def _check_month(value: Any) -> Any:
    if not isinstance(value, int) or not 1 <= value <= 6:
        raise ValidationError("半年评星的起始月份应为1至6月")
    return value


def _check_days(value: Any) -> Any:
    if not isinstance(value, int) or not 1 <= value <= 60:
        raise ValidationError("公示天数应在1至60天之间")
    return value


def _check_rate(value: Any) -> Any:
    if not isinstance(value, (int, float)) or not 0 < value <= 20:
        raise ValidationError("每小时积分应大于0，不超过20")
    return value


def _check_rounding(value: Any) -> Any:
    if value not in ROUNDINGS:
        raise ValidationError("取整方式不对")
    return value


def _check_cap(value: Any) -> Any:
    if not isinstance(value, int) or not 1 <= value <= 100:
        raise ValidationError("每次活动的积分上限应在1至100分之间")
    return value


def _check_visit_days(value: Any) -> Any:
    from station.vocab import CARE_TAGS

    if not isinstance(value, dict) or any(tag not in CARE_TAGS for tag in value):
        raise ValidationError("走访间隔格式不对")
    if any(not isinstance(days, int) or not 1 <= days <= 365 for days in value.values()):
        raise ValidationError("走访间隔应在1至365天之间")
    return value


def _check_ticket_days(value: Any) -> Any:
    if not isinstance(value, dict) or set(value) != set(DEFAULT_TICKET_DAYS):
        raise ValidationError("办理时限格式不对")
    if any(not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= 90 for days in value.values()):
        raise ValidationError("办理时限应在1至90天之间")
    return value


def _check_short_days(value: Any) -> Any:
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 30:
        raise ValidationError("天数应在1至30天之间")
    return value


def _check_backup_minutes(value: Any) -> Any:
    if not isinstance(value, int) or isinstance(value, bool) or not 5 <= value <= 240:
        raise ValidationError("自动备份间隔应在5至240分钟之间")
    return value


def _check_lock_minutes(value: Any) -> Any:
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 240:
        raise ValidationError("自动锁屏时间应在1至240分钟之间")
    return value


def _check_thinning(value: Any) -> Any:
    if not isinstance(value, dict) or set(value) != set(DEFAULT_THINNING):
        raise ValidationError("备份保留规则格式不对")
    if any(not isinstance(v, int) or isinstance(v, bool) or not 1 <= v <= 120 for v in value.values()):
        raise ValidationError("备份保留的天数、周数和月数应在1至120之间")
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
    POINTS_PER_HOUR: _Spec("志愿服务每小时积分", 1, _check_rate),
    ROUNDING: _Spec("志愿积分取整方式", "down", _check_rounding),
    ACTIVITY_CAP: _Spec("每次活动积分上限", 4, _check_cap),
    # 关爱走访: how often each group is visited, in days.
    VISIT_DAYS: _Spec("关爱走访间隔", {"独居老人": 7, "特困老人": 7, "残疾人": 30, "困难户": 30, "困境儿童": 14},
                      _check_visit_days),
    TICKET_DAYS: _Spec("工单办理时限", DEFAULT_TICKET_DAYS, _check_ticket_days),
    URGENT_DAYS: _Spec("紧急工单办理时限", 1, _check_short_days),
    FOLLOW_UP_DAYS: _Spec("办结后回访期限", 7, _check_short_days),
    BACKUP_MINUTES: _Spec("自动备份间隔（分钟）", 30, _check_backup_minutes),
    LOCK_MINUTES: _Spec("无操作自动锁屏（分钟）", 10, _check_lock_minutes),
    BACKUP_THINNING: _Spec("备份保留规则", DEFAULT_THINNING, _check_thinning),
}


def get(session: Session, key: str) -> Any:
    """The stored value of a setting, or its default."""
    row = session.get(Setting, key)
    return SPECS[key].default if row is None else json.loads(row.value)


def put(session: Session, staff_id: int, key: str, value: Any) -> bool:
    """Check and store a setting. Returns False when the value did not change."""
    require_role(session, staff_id, access.SETTINGS, "修改设置")
    spec = SPECS[key]
    value = spec.check(value)
    if key == HALF_YEAR_START and value != get(session, key) and session.scalar(select(StarPeriod.period).limit(1)) is not None:
        raise ValidationError("已经评定过星级家庭：再改半年的起始月份，前后半年会重叠，同一份积分会评两次。"
                              "起始月份只能在第一次评星之前设定")
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
