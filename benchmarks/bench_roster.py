"""Roster import on a large file: read, preview and import 10,000 rows.

    python benchmarks/bench_roster.py

Target (issue: rosters): preview and import under 10 s, and reading within
2x of openpyxl's own read-only read of the same file.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from db.migrate import open_database  # noqa: E402
from station import onboarding, roster  # noqa: E402
from station.demo import FEMALE_CHARS, MALE_CHARS, SURNAMES, _id_number  # noqa: E402
from station.onboarding import StationDetails  # noqa: E402


def make_roster(path: Path, rows: int, seed: int = 7) -> None:
    from openpyxl import Workbook

    rng = random.Random(seed)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("花名册")
    sheet.append(["幸福里小区居民花名册"])
    sheet.append(["序号", "姓名", "性别", "身份证号", "联系电话", "出生日期", "楼栋", "单元", "房号",
                  "与户主关系", "政治面貌", "备注"])
    used: set[str] = set()
    for number in range(1, rows + 1):
        gender = rng.choice("男女")
        chars = MALE_CHARS if gender == "男" else FEMALE_CHARS
        name = rng.choice(SURNAMES) + "".join(rng.choice(chars) for _ in range(rng.choice((1, 2))))
        birth = dt.date(rng.randint(1935, 2015), rng.randint(1, 12), rng.randint(1, 28))
        id_number = _id_number(rng, birth, gender)
        if id_number in used:
            id_number = ""
        used.add(id_number)
        household = (number - 1) // 3
        building, rest = divmod(household, 108)
        unit, room = divmod(rest, 36)
        floor, door = divmod(room, 2)
        sheet.append([number, name, gender, id_number, f"13{rng.randrange(10**9):09d}", birth,
                      str(building + 1), str(unit + 1), f"{floor + 1}{door + 1:02d}",
                      "户主" if number % 3 == 1 else rng.choice(("配偶", "子女", "父母")),
                      rng.choice(("群众", "群众", "群众", "中共党员")), rng.choice(("", "", "独居", "低保户"))])
    workbook.save(path)


def openpyxl_read(path: Path) -> int:
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=True)
    count = sum(1 for sheet in workbook.worksheets for _row in sheet.iter_rows(values_only=True))
    workbook.close()
    return count


def timed(action):  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    value = action()
    return value, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=10_000)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="roster-bench-"))
    try:
        path = folder / "roster.xlsx"
        _, made = timed(lambda: make_roster(path, args.rows))
        read_rows, openpyxl_seconds = timed(lambda: openpyxl_read(path))
        sheets, read_seconds = timed(lambda: roster.read_workbook(path))
        layouts, detect_seconds = timed(lambda: roster.layouts_for(sheets))
        database = open_database(folder / "station.sqlite3", folder / "backups")
        with database.write() as session:
            staff_id = onboarding.set_up(session, StationDetails("站", "", ""), "李红")

        def preview() -> roster.ImportResult:
            with database.trial() as session:
                return roster.import_roster(session, staff_id, layouts, path.name, preview=True)

        def write() -> roster.ImportResult:
            with database.write() as session:
                return roster.import_roster(session, staff_id, layouts, path.name)

        previewed, preview_seconds = timed(preview)
        imported, import_seconds = timed(write)
        again, again_seconds = timed(write)
        database.close()
        print(f"roster: {args.rows} rows ({path.stat().st_size / 2**20:.1f} MB .xlsx, made in {made:.1f} s)")
        print(f"openpyxl read-only read: {openpyxl_seconds:.2f} s ({read_rows} rows)")
        print(f"our read (python-calamine): {read_seconds:.2f} s = {read_seconds / openpyxl_seconds:.2f}x openpyxl"
              f"  (target within 2x); header detection {detect_seconds * 1000:.0f} ms")
        print(f"preview: {preview_seconds:.2f} s ({previewed.summary()})")
        print(f"import: {import_seconds:.2f} s ({imported.summary()})")
        print(f"read + preview + import: {read_seconds + detect_seconds + preview_seconds + import_seconds:.2f} s"
              "  (target < 10 s)")
        print(f"importing the same roster again: {again_seconds:.2f} s ({again.summary()})")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
