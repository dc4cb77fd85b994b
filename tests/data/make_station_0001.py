"""Makes station-0001.sqlite3: a database as the first schema revision (0001) wrote it.

Kept in the repository so the migration tests upgrade a real old file. Run
again only to rebuild it: `python tests/data/make_station_0001.py`.
"""

from __future__ import annotations

import contextlib
import sqlite3
import sys
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE.parent.parent))

from db.engine import make_engine  # noqa: E402
from db.migrate import upgrade_schema  # noqa: E402

TARGET = HERE / "station-0001.sqlite3"


def main() -> None:
    TARGET.unlink(missing_ok=True)
    engine = make_engine(TARGET)
    upgrade_schema(engine, "0001")
    engine.dispose()
    with contextlib.closing(sqlite3.connect(TARGET)) as conn:
        conn.executescript(
            """
            INSERT INTO station_info VALUES (1, '老城小区党群服务站', '东关社区', '城关街道', '2025-03-01 09:00:00');
            INSERT INTO staff VALUES (1, '李红', '管理员', 1, '2025-03-01 09:00:00');
            INSERT INTO buildings VALUES (1, '3', 3, '');
            INSERT INTO units VALUES (1, 1, '2', 2);
            INSERT INTO households VALUES (1, 1, '501', 501, '', '2025-03-01 09:05:00');
            INSERT INTO residents (id, household_id, name, name_pinyin, gender, birth_date, id_number, phone,
                relation, party_category, roles, note, moved_in_on, moved_out_on, moved_out_reason,
                created_at, updated_at)
            VALUES (1, 1, '张三明', 'zsm zhangsanming', '男', '1956-03-02', '110105195603020015',
                    '13812341234', '户主', '离退休党员', '楼栋长', '', '1998-05-01', NULL, '',
                    '2025-03-01 09:06:00', '2025-03-01 09:06:00'),
                   (2, 1, '王秀英', 'wxy wangxiuying', '女', '1958-07-15', NULL, NULL,
                    '配偶', NULL, '', '', NULL, NULL, '', '2025-03-01 09:07:00', '2025-03-01 09:07:00');
            INSERT INTO audit_log VALUES (1, '2025-03-01 09:06:00', 1, 'create', 'resident', 1, '新增居民 张三明',
                NULL, '{"name": "张三明"}');
            """
        )
        conn.commit()
        conn.execute("PRAGMA journal_mode = DELETE")
        conn.execute("VACUUM")


if __name__ == "__main__":
    main()
