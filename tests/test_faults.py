"""Faults of the environment during a save: a full disk, a read-only file. The message is clear, nothing is half-saved."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from db.engine import Database
from db.errors import DatabaseProblem
from station import backups, compound, residents
from station.compound import HouseholdInput
from station.residents import ResidentInput, ResidentQuery


def _count(db: Database) -> int:
    with db.read() as session:
        return len(residents.find_ids(session, ResidentQuery()))


@pytest.mark.parametrize(("pragma", "said"), [
    ("PRAGMA max_page_count = {pages}", "磁盘空间已满，本次操作没有保存"),  # the disk fills up
    ("PRAGMA query_only = ON", "数据文件是只读的，无法保存"),  # the file became read-only
])
def test_a_save_that_cannot_be_written_is_told_and_leaves_the_file_whole(database: Database, staff_id: int,
                                                                         pragma: str, said: str) -> None:
    with database.write() as session:
        household = compound.add_household(session, staff_id, HouseholdInput("3", "2", "501"))
    before = _count(database)
    with pytest.raises(DatabaseProblem, match=said), database.write() as session:
        pages = session.execute(text("PRAGMA page_count")).scalar()
        session.execute(text(pragma.format(pages=pages)))
        for n in range(400):  # enough rows to need new pages
            residents.add_resident(session, staff_id, ResidentInput(
                "张三明", household, "男", "1956-03-02", relation="子女", note="很长的备注" * 40 + str(n)))
    database.engine.dispose()  # the disk is freed (the pragma lived on that connection only)
    assert _count(database) == before  # not one of the 400 rows is there
    with database.write() as session:  # and the next save works again
        compound.add_household(session, staff_id, HouseholdInput("3", "2", "502"))
    assert backups.problems(database.path) == []
