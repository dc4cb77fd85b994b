"""The command line: options, the data folder, and a real start of the program."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from db.engine import Database
from station import paths
from station.__main__ import build_parser, main

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


# ------------------------------------------------------------------ report


def test_report_help_is_in_chinese_and_english() -> None:
    text = build_parser().format_help()
    assert "report" in text and "公示PDF" in text and "notice" in text


def test_report_list(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "--list"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "points-monthly\t月度积分公示（按月：2026-11）",
        "star-families\t星级家庭光荣榜（按半年：2026-H1）",
    ]


def test_report_writes_a_notice(data_dir: Path, household_id: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    base = ["--data-dir", str(data_dir), "report", "points-monthly", "--period", "2026.11", "--date", "2026-11-22"]
    assert main(base) == 0
    default = tmp_path / "月度积分公示-2026-11.pdf"
    assert capsys.readouterr().out == f"已生成 {default}（1页）\n"
    assert default.stat().st_size > 1000
    assert main([*base, "--out", "three", "--building", "3号楼"]) == 0
    assert capsys.readouterr().out.startswith("已生成 ") and (tmp_path / "three.pdf").exists()


@pytest.mark.parametrize(("args", "message"), [
    (["points-monthly", "--period", "2026-13"], "月份格式不对"),
    (["points-monthly"], "请用 --period 指定期间（按月：2026-11）"),
    (["points-yearly", "--period", "2026"], "没有名为“points-yearly”的公示，可以生成的有：points-monthly"),
    ([], "请写出要生成的公示名称"),
    (["star-families", "--period", "2026-H1"], "还没有评定星级家庭"),
    (["points-monthly", "--period", "2026-11", "--building", "99"], "没有这个楼栋：99"),
    (["points-monthly", "--period", "2026-11", "--date", "2026-02-30"], "公示日期不对"),
    (["points-monthly", "--period", "2026-11", "--out", "missing/notice.pdf"], "无法保存PDF：文件夹不存在"),
])
def test_report_refusals_are_messages(data_dir: Path, household_id: int, tmp_path: Path, args: list[str],
                                      message: str, monkeypatch: pytest.MonkeyPatch,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["--data-dir", str(data_dir), "report", *args]) == 1
    assert message in capsys.readouterr().out
    assert not list(tmp_path.glob("*.pdf"))


def test_report_needs_a_set_up_station(database: Database, data_dir: Path, tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--data-dir", str(data_dir), "report", "points-monthly", "--period", "2026-11"]) == 1
    assert "还没有设置服务站" in capsys.readouterr().out
    empty = tmp_path / "no-such-folder"
    assert main(["--data-dir", str(empty), "report", "points-monthly", "--period", "2026-11"]) == 1
    assert "还没有服务站的数据" in capsys.readouterr().out
    assert not empty.exists()


def test_report_as_a_real_command(data_dir: Path, household_id: int, tmp_path: Path) -> None:
    out = tmp_path / "公示.pdf"
    result = run_program(tmp_path, "report", "points-monthly", "--period", "2026-11", "--date", "2026-11-22",
                         "--out", str(out), env_dir=data_dir)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"已生成 {out}（1页）" and out.exists()
    refused = run_program(tmp_path, "report", "star-families", "--period", "2026-H3", env_dir=data_dir)
    assert refused.returncode == 1 and "半年格式不对" in refused.stdout and "Traceback" not in refused.stderr
