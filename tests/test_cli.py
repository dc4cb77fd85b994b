"""The command line: options, the data folder, and a real start of the program."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from station import paths
from station.__main__ import build_parser

ROOT = Path(__file__).resolve().parent.parent


def test_help_is_in_chinese_and_english() -> None:
    text = build_parser().format_help()
    for words in ("--data-dir", "数据文件夹", "Data folder", "--demo", "示例小区", "demo compound", "STATION_DESK_DATA_DIR"):
        assert words in text


def test_data_folder_choice(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    assert paths.resolve_data_dir(None) == tmp_path / "default-data-dir"
    monkeypatch.setenv(paths.DATA_DIR_ENV, str(tmp_path / "from-env"))
    assert paths.resolve_data_dir(None) == tmp_path / "from-env"
    assert paths.resolve_data_dir(str(tmp_path / "from-arg")) == tmp_path / "from-arg"


def test_default_data_folder_is_the_users_not_the_programs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.undo()  # the real default, only looked at, never written
    folder = paths.default_data_dir()
    assert folder.name == "StationDesk"
    assert ROOT not in folder.parents


def run_program(data_dir: Path, *args: str, env_dir: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    env.pop(paths.DATA_DIR_ENV, None)
    command = [sys.executable, "-m", "station", *args]
    if env_dir is not None:
        env[paths.DATA_DIR_ENV] = str(env_dir)
    else:
        command += ["--data-dir", str(data_dir)]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def count(path: Path, table: str) -> int:
    with contextlib.closing(sqlite3.connect(path)) as conn:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def test_start_with_the_demo_compound_and_again(tmp_path: Path) -> None:
    data_dir = tmp_path / "station-data"
    first = run_program(data_dir, "--demo", "--smoke")
    assert first.returncode == 0, first.stderr
    assert "window shown" in first.stdout
    database = data_dir / "station.sqlite3"
    assert count(database, "households") == 300
    assert count(database, "residents") == 800
    # a second start opens the same compound and adds nothing
    second = run_program(data_dir, "--demo", "--smoke")
    assert second.returncode == 0, second.stderr
    assert count(database, "residents") == 800
    assert (data_dir / "logs" / "station.log").exists()


def test_data_folder_from_the_environment(tmp_path: Path) -> None:
    result = run_program(tmp_path / "unused", "--demo", "--smoke", env_dir=tmp_path / "env-data")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "env-data" / "station.sqlite3").exists()
    assert not (tmp_path / "unused").exists()


def test_a_damaged_file_gets_a_message_not_a_traceback(tmp_path: Path) -> None:
    data_dir = tmp_path / "station-data"
    data_dir.mkdir()
    (data_dir / "station.sqlite3").write_bytes(b"garbage" * 1000)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    # The message box would wait for a click: answer it from a start-up hook.
    hook = ("import PySide6.QtWidgets as w; w.QMessageBox.critical = staticmethod("
            "lambda parent, title, text, *a: print('MESSAGE:', text) or 0)\n"
            "import sys; from station.__main__ import main; sys.exit(main(sys.argv[1:]))")
    result = subprocess.run([sys.executable, "-c", hook, "--data-dir", str(data_dir), "--smoke"], cwd=ROOT,
                            env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert "MESSAGE:" in result.stdout and "不是工作台的数据文件" in result.stdout
    assert "Traceback" not in result.stderr
