"""Commands that run without the window: ``import-roster FILE`` and
``report NAME --period P [--resident WHO] [--record N]``."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.engine import Database
from db.errors import DatabaseProblem
from db.migrate import open_database
from db.models import Building, Household, Merchant, Resident, Unit
from station import compound, onboarding, roster
from station.errors import ValidationError
from station.paths import backups_dir, database_path
from station.validation import clean, normalize_id_number, parse_date


def _open_station(data_dir: Path, out: TextIO) -> Database | None:
    """The station's database, or None after saying why it cannot be used (missing, unreadable, not set up)."""
    if not database_path(data_dir).is_file():
        print(f"这个数据文件夹里还没有服务站的数据：{data_dir}。请先启动程序完成初始设置。", file=out)
        return None
    try:
        database = open_database(database_path(data_dir), backups_dir(data_dir))
    except DatabaseProblem as problem:
        print(f"无法打开数据文件：{problem.message}", file=out)
        return None
    with database.read() as session:
        ready = onboarding.is_set_up(session)
    if not ready:
        database.close()
        print("这个数据文件夹还没有设置服务站：请先启动程序完成初始设置。", file=out)
        return None
    return database


def import_roster(data_dir: Path, file: Path, sheet: str | None = None, dry_run: bool = False,
                  rejects: Path | None = None, out: TextIO | None = None) -> int:
    """Import a roster; print one line per row and a summary. Exit 1 only when nothing could be read."""
    out = out or sys.stdout
    database = _open_station(data_dir, out)
    if database is None:
        return 1
    try:
        with database.read() as session:
            staff = onboarding.acting_staff(session)
        assert staff is not None  # a station that is set up has its first account
        try:
            layouts = roster.layouts_for(roster.read_workbook(file), sheet)
        except roster.RosterError as error:
            print(error.message, file=out)
            return 1
        scope = database.trial() if dry_run else database.write()
        with scope as session:
            result = roster.import_roster(session, staff[0], layouts, file.name, preview=dry_run)
        for row in result.rows:
            print(f"{row.where}\t{row.status}\t{row.name}\t{row.reason}".rstrip(), file=out)
        if rejects is not None and result.count(roster.ERROR):
            roster.save_rejects(result, layouts, rejects)
            print(f"错误行已保存到 {rejects}", file=out)
        if dry_run:
            print("（试导入：只检查，没有写入）", file=out)
        print(result.summary(), file=out)
        return 0
    except DatabaseProblem as problem:
        print(problem.message, file=out)
        return 1
    finally:
        database.close()


def list_reports(out: TextIO | None = None) -> int:
    """Print the notices that can be made: name, a tab, the title and the period's format."""
    from station import reports

    out = out or sys.stdout
    for spec in reports.REPORTS.values():
        who = "，用 --resident 指定居民" if spec.needs_resident else ""
        if spec.record:
            who += f"，用 --record 指定{reports.RECORD_KINDS[spec.record]}"
        print(f"{spec.name}\t{reports.describe(spec)}{who}", file=out)
    return 0


def _record_id(spec_title: str, kind: str, typed: str | None) -> int | None:
    """The record a print is about, from ``--record`` (a positive number).

    Raises:
        ValidationError: missing when the print needs one, given when it does not, or not a number.
    """
    from station import reports

    if not kind:
        if typed is not None:
            raise ValidationError(f"{spec_title}不是某一条记录的，不用 --record")
        return None
    label = reports.RECORD_KINDS[kind]
    text = clean(typed)
    if not text:
        raise ValidationError(f"打印{spec_title}需要用 --record 指定{label}，例如 --record 12")
    if not text.isdigit() or not 0 < int(text) < 10**9:
        raise ValidationError(f"--record 应填{label}（正整数），例如 --record 12")
    return int(text)


def report(data_dir: Path, name: str | None, period: str | None, file: Path | None = None,
           buildings: Sequence[str] = (), day: str | None = None, out: TextIO | None = None,
           resident: str | None = None, record: str | None = None) -> int:
    """Make one notice, certificate or print as a PDF; print where it went and its pages. Exit 1 on any refusal.

    ``resident`` (a certificate's person) is a resident's number (编号), ID number or name;
    ``record`` the number of the record a print is about (a redemption for its slip, a merchant
    for its statement, a meeting for its notice, minutes or sign-in sheet).
    """
    from station import reports

    out = out or sys.stdout
    try:
        if not name:
            raise ValidationError("请写出要生成的公示名称（用 report --list 查看全部）")
        spec = reports.spec_for(name)
        if not period and spec.period_kind != "none":
            raise ValidationError(f"请用 --period 指定期间（{reports.PERIOD_FORMATS[spec.period_kind]}）")
        period = reports.parse_period(spec, period or "")
        if spec.needs_resident and not clean(resident):
            raise ValidationError(f"开具{spec.title}需要用 --resident 指定居民（姓名或编号），例如 --resident 张三明")
        if spec.needs_resident and buildings:
            raise ValidationError(f"{spec.title}是开给一位居民的，不用 --building")
        if not spec.needs_resident and resident is not None:
            raise ValidationError(f"{spec.title}不是开给某一位居民的，不用 --resident")
        record_id = _record_id(spec.title, spec.record, record)
        if spec.record and buildings:
            raise ValidationError(f"{spec.title}不分楼栋，不用 --building")
        try:
            today = parse_date(day, allow_future=True) if day else dt.date.today()
        except ValueError as problem:
            doing = "开具" if spec.needs_resident else "公示" if spec.public else "打印"
            raise ValidationError(f"{doing}日期不对：{problem}") from None
    except ValidationError as error:
        print(error.message, file=out)
        return 1
    database = _open_station(data_dir, out)
    if database is None:
        return 1
    try:
        with database.read() as session:
            building_ids = _building_ids(session, buildings) if buildings else None
            person = _find_resident(session, resident) if spec.needs_resident and resident else None
            named = person[1] if person else ""
            if spec.record == "merchant" and record_id is not None:
                named = session.scalar(select(Merchant.name).where(Merchant.id == record_id)) or ""
            if spec.record == "meeting" and record_id is not None:
                from station.reports.meeting_prints import meeting_name

                named = meeting_name(session, record_id)
            default = reports.default_file_name(spec.name, period, named, record_id)
            target = _target(file, default)
            written = reports.build(session, spec.name, period, target.absolute(), today, building_ids,
                                    person[0] if person else None, record_id)
    except (ValidationError, DatabaseProblem) as error:
        print(error.message, file=out)
        return 1
    finally:
        database.close()
    pages = f"（{written.pages}页）" if written.path.suffix.lower() == ".pdf" else ""
    print(f"已生成 {written.path}{pages}", file=out)
    return 0


def _target(file: Path | None, default: str) -> Path:
    """Where to write: ``file``, or ``default`` in the folder ``file`` names or the current one; ".pdf" added."""
    if file is None:
        return Path(default)
    if file.is_dir():
        return file / default
    return file if file.suffix else file.with_name(file.name + ".pdf")


def _find_resident(session: Session, typed: str) -> tuple[int, str]:
    """The resident (id, name) given by number (编号), ID number (身份证号) or name.

    Raises:
        ValidationError: nobody found, or several residents have the name (listed with their addresses
            and numbers, so one can be chosen).
    """
    text = clean(typed)
    stmt = (select(Resident.id, Resident.name, Resident.gender, Resident.birth_date, Resident.moved_out_on,
                   Building.number, Unit.number, Household.room)
            .join(Household, Household.id == Resident.household_id).join(Unit, Unit.id == Household.unit_id)
            .join(Building, Building.id == Unit.building_id)
            .order_by(Resident.moved_out_on.is_not(None), Building.sort_key, Unit.sort_key, Household.room_sort,
                      Resident.id))
    if text.isdigit() and len(text) <= 9:
        found = session.execute(stmt.where(Resident.id == int(text))).all()
        if not found:
            raise ValidationError({"resident": f"没有编号为 {text} 的居民"})
    elif len(text) in (15, 18) and text[:15].isdigit():
        try:
            number = normalize_id_number(text)
        except ValueError as problem:
            raise ValidationError({"resident": f"身份证号不对：{problem}"}) from None
        found = session.execute(stmt.where(Resident.id_number == number)).all()
        if not found:
            raise ValidationError({"resident": "没有这个身份证号的居民"})
    else:
        found = session.execute(stmt.where(Resident.name == text)).all()
        if not found:
            raise ValidationError({"resident": f"没有名叫“{text}”的居民（请写全名，或用编号）"})
    if len(found) > 1:
        lines = [f"  编号 {rid}　{name}　{gender}　{f'{birth.year}年生　' if birth else ''}"
                 f"{compound.address(b, u, r)}{'（已迁出）' if moved_out else ''}"
                 for rid, name, gender, birth, moved_out, b, u, r in found]
        raise ValidationError({"resident": f"有{len(found)}位居民名叫“{text}”，请用 --resident 编号 指定其中一位：\n"
                                           + "\n".join(lines)})
    return int(found[0][0]), str(found[0][1])


def _building_ids(session: Session, numbers: Sequence[str]) -> list[int]:
    """Ids of the buildings numbered so ("3", "3栋" or "3号楼").

    Raises:
        ValidationError: a building does not exist.
    """
    wanted = {compound.building_number(number): number for number in numbers}
    found = dict(session.execute(select(Building.number, Building.id).where(Building.number.in_(list(wanted)))).all())
    missing = [typed for number, typed in wanted.items() if number not in found]
    if missing:
        raise ValidationError(f"没有这个楼栋：{'、'.join(missing)}")
    return [found[number] for number in wanted]
