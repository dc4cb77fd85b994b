"""Backups of the station's data file (备份): made, listed, thinned, copied to a USB stick, restored.

Copies go into the data folder's ``backups/`` at start, at exit and every half hour when something
changed; each is made with SQLite's online backup API and checked before it counts. Older automatic
copies are thinned: everything from the last two days, then one a day, one a week, one a month (the
numbers are settings). Copies made by hand, before an upgrade and before a restore are never thinned.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import re
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from db.backup import (
    BackupFailed,
    audit_rows_not_in,
    backup_file,
    check_file,
    record_counts,
    restore_file,
    timestamped_name,
)
from station.audit import UndoneEntry

AUTOMATIC = ("start", "auto", "exit")
LABELS = {"start": "启动时", "auto": "自动", "exit": "退出时", "manual": "手动", "before-restore": "恢复前",
          "before-upgrade": "升级前"}
COUNTED = {"residents": "居民", "households": "住户", "point_entries": "积分记录", "tickets": "工单",
           "redemptions": "兑换", "matters": "议题"}
_NAME = re.compile(r"station-(\d{8})-(\d{6})-(.+)\.sqlite3")


@dataclass(frozen=True)
class ThinPolicy:
    """How many automatic backups are kept: all of the last days, then one a day, a week, a month."""

    keep_all_days: int = 2
    daily_days: int = 14
    weekly_weeks: int = 8
    monthly_months: int = 12


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    made_at: dt.datetime
    label: str
    size: int

    @property
    def kind(self) -> str:
        """启动时, 自动, 退出时, 手动, 恢复前, 升级前."""
        base = "before-upgrade" if self.label.startswith("before-upgrade") else self.label
        return LABELS.get(base, base)

    @property
    def automatic(self) -> bool:
        return self.label in AUTOMATIC


class BackupError(Exception):
    """A backup or a restore could not be made; ``message`` says why in Chinese. Nothing was changed."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class DamagedData(BackupError):
    """The data file itself failed the check while it was being backed up: restoring a backup is offered."""


def problem_text(error: BaseException, doing: str = "备份") -> str:
    """The Chinese message for a backup that failed: the disk is full, the folder is read-only, the stick is gone."""
    text = str(error).lower()
    number = getattr(error, "errno", None)
    if number == errno.ENOSPC or "disk is full" in text or "no space" in text:
        return f"{doing}失败：磁盘（或U盘）已满。已有的数据没有受影响，请清理空间后再试。"
    if isinstance(error, PermissionError) or number in (errno.EACCES, errno.EROFS) or "readonly" in text \
            or "read-only" in text or "unable to open" in text:
        return f"{doing}失败：无法写入这个文件夹（只读，或U盘已拔出、没有权限）。已有的数据没有受影响，请换一个位置再试。"
    if isinstance(error, FileNotFoundError) or number == errno.ENOENT or number == errno.EIO or "i/o" in text:
        return f"{doing}失败：文件夹不存在，或U盘在复制时被拔出。已有的数据没有受影响，请插好后再试。"
    if "integrity" in text or "malformed" in text:
        return f"{doing}失败：复制出的文件没有通过检查，已删除。请再试一次；如果一直失败，请联系技术人员。"
    return f"{doing}失败：{error}。已有的数据没有受影响。"


def parse(path: Path) -> BackupInfo | None:
    """The backup a file name describes (station-20261202-093000-auto.sqlite3), or None."""
    found = _NAME.fullmatch(path.name)
    if not found:
        return None
    try:
        made = dt.datetime.strptime(found.group(1) + found.group(2), "%Y%m%d%H%M%S")
        size = path.stat().st_size
    except (ValueError, OSError):
        return None
    return BackupInfo(path, made, found.group(3), size)


def list_backups(folder: Path) -> list[BackupInfo]:
    """The backups in ``folder``, the newest first."""
    if not folder.is_dir():
        return []
    found = [info for info in (parse(path) for path in folder.glob("station-*.sqlite3")) if info is not None]
    return sorted(found, key=lambda info: (info.made_at, info.path.name), reverse=True)


def make_backup(database: Path, folder: Path, label: str, now: dt.datetime | None = None,
                full_check: bool = True) -> BackupInfo:
    """Copy the database into ``folder`` as a checked backup named by its time and ``label``.

    ``full_check``: the copy passes ``integrity_check`` (else ``quick_check``, ten times faster).

    Raises:
        DamagedData: the data file itself does not pass the check (the copy is not kept).
        BackupError: the copy could not be made or did not pass its check; nothing is left behind.
    """
    target = folder / timestamped_name(label, now)
    if target.exists():  # two in one second: keep the first
        info = parse(target)
        assert info is not None
        return info
    try:
        backup_file(database, target, full_check)
    except (BackupFailed, OSError, sqlite3.Error) as error:
        if target.parent.exists():
            target.unlink(missing_ok=True)
        if isinstance(error, BackupFailed) and check_file(database):  # not the copy: the file itself is damaged
            raise DamagedData("数据文件检查没有通过（文件有损坏）。") from error
        raise BackupError(problem_text(error)) from error
    info = parse(target)
    if info is None:
        raise BackupError("备份失败：无法读取备份文件")
    return info


def copy_to(database: Path, folder: Path, now: dt.datetime | None = None) -> BackupInfo:
    """备份到…: a checked copy in a folder or on a USB stick the worker chose."""
    if not folder.is_dir():
        raise BackupError("备份失败：这个文件夹不存在（U盘是否插好？）")
    return make_backup(database, folder, "manual", now)


def thin(folder: Path, now: dt.datetime, policy: ThinPolicy = ThinPolicy()) -> list[Path]:
    """Delete the automatic backups the policy does not keep; the removed files.

    Kept: every automatic backup of the last ``keep_all_days``; then the newest of each day for
    ``daily_days``, of each week for ``weekly_weeks``, of each month for ``monthly_months``. Older ones go.
    """
    keep: set[Path] = set()
    buckets: dict[tuple[str, object], BackupInfo] = {}
    automatic = [info for info in list_backups(folder) if info.automatic]
    for info in automatic:  # newest first: the first in each bucket is the one kept
        age = now - info.made_at
        if age < dt.timedelta(days=policy.keep_all_days):
            keep.add(info.path)
            continue
        day = info.made_at.date()
        if age < dt.timedelta(days=policy.keep_all_days + policy.daily_days):
            key: tuple[str, object] = ("day", day)
        elif age < dt.timedelta(days=policy.keep_all_days + policy.daily_days + 7 * policy.weekly_weeks):
            key = ("week", day.isocalendar()[:2])
        elif _months_between(info.made_at.date(), now.date()) < policy.monthly_months + 1:
            key = ("month", (day.year, day.month))
        else:
            continue
        buckets.setdefault(key, info)
    keep |= {info.path for info in buckets.values()}
    removed = []
    for info in automatic:
        if info.path not in keep:
            try:
                info.path.unlink()
                removed.append(info.path)
            except OSError:
                continue  # tried again next time
    return removed


def _months_between(first: dt.date, last: dt.date) -> int:
    return (last.year - first.year) * 12 + last.month - first.month


def counts(path: Path) -> dict[str, int]:
    """The records a file holds, by the names the restore dialog shows (居民, 积分记录, 工单 …)."""
    found = record_counts(path, tuple(COUNTED))
    return {COUNTED[table]: number for table, number in found.items()}


def counts_text(numbers: dict[str, int]) -> str:
    """居民800，住户300，积分记录5,012 …"""
    return "，".join(f"{name}{number:,}" for name, number in numbers.items())


def problems(path: Path, quick: bool = True) -> list[str]:
    """The start-up check (quick_check and foreign_key_check): what is wrong, or [] when the file is sound."""
    return check_file(path, quick)


def newest_good(folder: Path, skip: Iterable[Path] = ()) -> BackupInfo | None:
    """The newest backup that passes the full integrity check (the one to offer after a failed start-up check)."""
    skipped = set(skip)
    for info in list_backups(folder):
        if info.path not in skipped and not check_file(info.path, quick=False):
            return info
    return None


@dataclass(frozen=True)
class Restored:
    backup: BackupInfo
    saved_as: BackupInfo | None  # the file as it was before, kept as a backup (None when it could not be read)
    counts: dict[str, int]

    @property
    def summary(self) -> str:
        when = f"{self.backup.made_at:%Y-%m-%d %H:%M}"
        before = (f"恢复前的数据另存为备份“{self.saved_as.path.name}”，需要时可以再恢复回来。" if self.saved_as
                  else "恢复前的数据文件已损坏，没有另存。")
        return f"已把数据恢复到 {when} 的备份（{counts_text(self.counts)}）。{before}"


def restore(database: Path, backup: BackupInfo, folder: Path, now: dt.datetime | None = None) -> Restored:
    """Put a backup in place of the data file; the file as it was is backed up first.

    The program must have closed the database (the caller disposes its engine first).

    Raises:
        BackupError: the backup is damaged, or the current file could not be saved first; nothing changed.
    """
    if check_file(backup.path, quick=False):
        raise BackupError("这个备份文件已损坏，不能用来恢复。请选择另一个备份。")
    saved: BackupInfo | None = None
    damaged: Path | None = None
    if database.exists() and not check_file(database):
        saved = make_backup(database, folder, "before-restore", now)
    elif database.exists():
        damaged = database.with_name(f"{database.stem}-damaged-{(now or dt.datetime.now()):%Y%m%d-%H%M%S}.sqlite3")
        try:
            database.replace(damaged)
            for suffix in ("-wal", "-shm"):
                Path(f"{database}{suffix}").unlink(missing_ok=True)
        except OSError as error:
            raise BackupError(problem_text(error, "恢复")) from error
    try:
        restore_file(backup.path, database)
    except Exception as error:
        if damaged is not None:  # no half-written or empty file in its place: the next start would find no data
            with contextlib.suppress(OSError):
                for suffix in ("-wal", "-shm", "-journal"):
                    Path(f"{database}{suffix}").unlink(missing_ok=True)
                damaged.replace(database)
        raise BackupError(problem_text(error, "恢复")) from error
    return Restored(backup, saved, counts(database))


def undone_by_restore(database: Path, backup: Path) -> list[UndoneEntry]:
    """The 操作记录 rows a restore of ``backup`` over ``database`` would undo (none when it cannot be read)."""
    try:
        rows = audit_rows_not_in(database, backup)
    except sqlite3.Error:
        return []  # a damaged file: what it held cannot be read
    return [UndoneEntry(int(str(original)), _when(at), str(name or ""), str(action), str(entity),
                        None if entity_id is None else int(str(entity_id)), str(summary or ""),
                        None if before is None else str(before), None if after is None else str(after))
            for original, at, name, action, entity, entity_id, summary, before, after in rows]


def _when(value: object) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value
    return dt.datetime.fromisoformat(str(value))


def restore_summary(restored: Restored, by: str, undone: int) -> str:
    """The restore's own 操作记录 line: who, which backup, how many rows of work it undid."""
    kept = f"，恢复前的数据另存为“{restored.saved_as.path.name}”" if restored.saved_as else "（恢复前的数据文件已损坏）"
    return (f"从备份恢复（{by}）：{restored.backup.path.name}（{restored.backup.made_at:%Y-%m-%d %H:%M}的备份）；"
            f"撤销了此后的{undone}条操作记录，保留在操作记录里，标为“恢复前”{kept}")
