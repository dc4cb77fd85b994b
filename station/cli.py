"""Commands that run without the window: ``python -m station --data-dir PATH import-roster FILE``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TextIO

from db.errors import DatabaseProblem
from db.migrate import open_database
from station import onboarding, roster
from station.paths import backups_dir, database_path


def import_roster(data_dir: Path, file: Path, sheet: str | None = None, dry_run: bool = False,
                  rejects: Path | None = None, out: TextIO = sys.stdout) -> int:
    """Import a roster; print one line per row and a summary. Exit 1 only when nothing could be read."""
    try:
        database = open_database(database_path(data_dir), backups_dir(data_dir))
    except DatabaseProblem as problem:
        print(f"无法打开数据文件：{problem.message}", file=out)
        return 1
    try:
        with database.read() as session:
            staff = onboarding.acting_staff(session)
        if staff is None:
            print("这个数据文件夹还没有设置服务站：请先启动程序完成初始设置，再导入花名册。", file=out)
            return 1
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
