"""Commands that run without the window: ``import-roster FILE --user NAME`` and
``report NAME --period P [--resident WHO] [--record N]``.

A command that writes signs in: the account is named with ``--user`` and its password typed at the
terminal (not shown) or, for a script, read from a file only its owner can read (``--password-file``).
A wrong password counts toward the account's wait as at the window's sign-in. Prints need no password,
but each one is kept in the 操作记录 as printed from the command line, with the computer's user name.
"""

from __future__ import annotations

import datetime as dt
import getpass
import os
import stat
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.engine import Database
from db.errors import DatabaseProblem
from db.migrate import open_database
from db.models import Building, Household, Merchant, Resident, Staff, Unit
from station import access, compound, logs, onboarding, roster, staff
from station.errors import ValidationError
from station.paths import backups_dir, database_path, secure_data_dir
from station.validation import clean, normalize_id_number, parse_date

REFUSED = 2
"""The exit code of a command refused for who runs it: no account named, a wrong password, no right."""
IMPORT_ROLES = access.ROSTER
"""Who may import a roster: the roles :func:`station.roster.import_roster` itself requires."""
IMPORTING = "命令行导入花名册"


def _open_station(data_dir: Path, out: TextIO) -> Database | None:
    """The station's database, or None after saying why it cannot be used (missing, unreadable, not set up).

    The data folder and what is in it are made private first (a folder found open is noted in the log).
    """
    if not database_path(data_dir).is_file():
        print(f"这个数据文件夹里还没有服务站的数据：{data_dir}。请先启动程序完成初始设置。", file=out)
        return None
    try:
        tightened = secure_data_dir(data_dir)
        logs.note(data_dir, [f"data folder was open to others, made private: {line}" for line in tightened])
    except OSError as problem:  # the check is a courtesy: a folder that cannot be changed still opens
        print(f"无法检查数据文件夹的权限：{problem}", file=sys.stderr)
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


class Refused(Exception):
    """The command may not run for who runs it; ``message`` says why, in Chinese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _account_named(session: Session, name: str | None) -> tuple[int, str]:
    """The staff account (id, name) called ``name`` (the name in the staff table).

    Raises:
        Refused: no name given, or no account of that name.
    """
    typed = clean(name)
    if not typed:
        raise Refused("导入花名册会写入数据，请用 --user 写出您的工作人员姓名（账号），再输入这个账号的密码；"
                      "只检查不写入可以用 --dry-run")
    found = session.scalar(select(Staff.id).where(Staff.name == typed))
    if found is None:
        raise Refused(f"没有名叫“{typed}”的工作人员账号（请写账号的姓名，和登录窗口里的一样）")
    return int(found), typed


def read_password_file(path: Path) -> str:
    """The password in ``path``, without one trailing newline.

    The file must be readable by its owner only (POSIX: no permission for the group or others), as a
    password kept for a script must be.

    Raises:
        Refused: it cannot be read, or others may read it.
    """
    try:
        mode = path.stat().st_mode
        if os.name == "posix" and mode & 0o077:
            raise Refused(f"密码文件 {path} 别人也能读取（权限 {stat.filemode(mode)}）：请先执行 chmod 600 {path}，"
                          "只让自己能读")
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise Refused(f"找不到密码文件：{path}") from None
    except (OSError, UnicodeDecodeError) as problem:
        raise Refused(f"无法读取密码文件 {path}：{problem}") from None
    if text.endswith("\r\n"):
        return text[:-2]
    return text[:-1] if text.endswith("\n") else text


def _password(name: str, password_file: Path | None) -> str:
    """The password from ``password_file``, or typed at the terminal without being shown.

    Raises:
        Refused: the file is refused, or the typing was broken off.
    """
    if password_file is not None:
        return read_password_file(password_file)
    try:
        return getpass.getpass(f"{name}的密码：")
    except (EOFError, KeyboardInterrupt):
        raise Refused("没有输入密码，没有导入") from None


def _sign_in(session: Session, account_id: int, name: str, password: str) -> None:
    """Check the account's own password in the caller's write transaction, as :func:`staff.verify` does.

    A wrong password is counted (the caller commits the transaction all the same).

    Raises:
        Refused: a wrong or empty password, a 停用 account, one without a password yet or with a one-time
            password not changed yet, or a role that may not import.
    """
    try:
        outcome = staff.verify(session, account_id, password, IMPORTING, roles=IMPORT_ROLES)
    except ValidationError as error:
        raise Refused(error.message) from None
    if outcome.account is not None:
        return
    account = session.get(Staff, account_id)
    if password and account is not None and account.must_change_password and account.failed_logins == 0:
        # The password was right (a wrong one is counted): it is the one-time one an administrator gave.
        raise Refused(f"{name}的密码是管理员给的一次性密码：请先在程序窗口里用它登录一次，设置自己的密码，"
                      "再用命令行导入")
    raise Refused(outcome.message)


def import_roster(data_dir: Path, file: Path, sheet: str | None = None, dry_run: bool = False,
                  rejects: Path | None = None, out: TextIO | None = None, user: str | None = None,
                  password_file: Path | None = None) -> int:
    """Import a roster as the account ``user``; print one line per row and a summary.

    The import writes only after the account's own password (``password_file``, else typed at the
    terminal); its 操作记录 rows name that account. ``dry_run`` imports nothing and needs no password
    (it checks as ``user`` when given, else as the first administrator), unless it saves ``rejects``:
    the rows with errors, full names and numbers, are an export, made only by a signed-in account and
    kept in the 操作记录 under it.

    Returns:
        0 when done; 1 when nothing could be read (the station or the file); 2 when refused for who runs
        it (no ``user``, an unknown, 停用 or one-time-password account, a wrong password, no right to
        import): then nothing is written but the counted wrong password.
    """
    out = out or sys.stdout
    database = _open_station(data_dir, out)
    if database is None:
        return 1
    try:
        try:
            layouts = roster.layouts_for(roster.read_workbook(file), sheet)
        except roster.RosterError as error:
            print(error.message, file=out)
            return 1
        try:
            if dry_run and rejects is not None:  # the rejects file carries full names and numbers: signed in
                with database.read() as session:
                    account_id, name = _account_named(session, user)
                password = _password(name, password_file)
                refusal: Refused | None = None
                with database.write() as session:  # a wrong password is counted, as at the window
                    try:
                        _sign_in(session, account_id, name, password)
                    except Refused as refused:
                        refusal = refused
                if refusal is not None:
                    raise refusal
                with database.trial() as session:
                    result = roster.import_roster(session, account_id, layouts, file.name, preview=True)
            elif dry_run:
                with database.read() as session:
                    acting = _account_named(session, user) if clean(user) else onboarding.acting_staff(session)
                    assert acting is not None  # a station that is set up has its first account
                    try:
                        access.require_role(session, acting[0], IMPORT_ROLES, "导入花名册")
                    except ValidationError as error:
                        raise Refused(error.message) from None
                account_id = acting[0]
                with database.trial() as session:
                    result = roster.import_roster(session, account_id, layouts, file.name, preview=True)
            else:
                with database.read() as session:
                    account_id, name = _account_named(session, user)
                password = _password(name, password_file)
                with database.write() as session:
                    # The sign-in and the import are one transaction: the import is this account's alone.
                    # A refusal inside it is raised after the counted wrong try is committed.
                    refusal = None
                    try:
                        _sign_in(session, account_id, name, password)
                    except Refused as refused:
                        refusal = refused
                    if refusal is None:
                        result = roster.import_roster(session, account_id, layouts, file.name)
                if refusal is not None:
                    raise refusal
        except Refused as refused:
            print(refused.message, file=out)
            return REFUSED
        except ValidationError as error:
            print(error.message, file=out)
            return 1
        for row in result.rows:
            print(f"{row.where}\t{row.status}\t{row.name}\t{row.reason}".rstrip(), file=out)
        if rejects is not None and result.count(roster.ERROR):
            try:
                with database.write() as session:  # an export: its 操作记录 names the account importing
                    roster.save_rejects(session, account_id, result, layouts, rejects)
            except (roster.RosterError, ValidationError) as error:
                print(error.message, file=out)
                return 1
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
        try:
            with database.write() as session:  # no print leaves the station unrecorded
                reports.record_print(session, None, spec.name, written, os_user=os_user())
        except DatabaseProblem:
            written.path.unlink(missing_ok=True)
            raise
    except (ValidationError, DatabaseProblem) as error:
        print(error.message, file=out)
        return 1
    finally:
        database.close()
    pages = f"（{written.pages}页）" if written.path.suffix.lower() == ".pdf" else ""
    print(f"已生成 {written.path}{pages}", file=out)
    return 0


def os_user() -> str:
    """The computer's user running the command, for the 操作记录 of a print ("未知" when it cannot be told)."""
    try:
        return getpass.getuser() or "未知"
    except (OSError, KeyError, ImportError):
        return "未知"


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
