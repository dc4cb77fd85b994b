"""Shared fixtures: every test gets its own database file under tmp_path."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from db.engine import Database  # noqa: E402
from db.migrate import open_database  # noqa: E402
from station import compound, onboarding  # noqa: E402
from station.compound import HouseholdInput  # noqa: E402
from station.demo import DemoSize, generate  # noqa: E402
from station.onboarding import StationDetails  # noqa: E402


@pytest.fixture(autouse=True)
def _no_real_data_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test may reach the user's data folder: point the default elsewhere."""
    monkeypatch.setattr("station.paths.default_data_dir", lambda: tmp_path / "default-data-dir")
    monkeypatch.delenv("STATION_DESK_DATA_DIR", raising=False)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    return folder


@pytest.fixture
def database(data_dir: Path) -> Iterator[Database]:
    db = open_database(data_dir / "station.sqlite3", data_dir / "backups")
    yield db
    db.close()


@pytest.fixture
def staff_id(database: Database) -> int:
    with database.write() as session:
        return onboarding.set_up(session, StationDetails("测试小区党群服务站", "测试社区", "测试街道"), "李红")


@pytest.fixture
def household_id(database: Database, staff_id: int) -> int:
    with database.write() as session:
        return compound.add_household(session, staff_id, HouseholdInput("3", "2", "501"))


@pytest.fixture
def demo_database(database: Database, staff_id: int) -> Database:
    """A small made-up compound (40 households, 100 residents)."""
    with database.write() as session:
        generate(session, staff_id, DemoSize(households=40, residents=100), seed=11)
    return database
