"""The command line: options, the data folder, and a real start of the program."""

from __future__ import annotations

import contextlib
import datetime as dt
import getpass
import json
import os
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader

from db.engine import Database
from station import access, cli, compound, paths, points, residents, shop, staff, volunteer
from station.__main__ import build_parser, main
from station.compound import HouseholdInput
from station.residents import ResidentInput
from station.validation import id_check_digit
from station.vocab import AUDITOR, CLERK
from station.volunteer import ActivityInput

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
    if os.name == "posix":  # after a start, the data folder and everything in it is its owner's alone
        assert stat.S_IMODE(data_dir.stat().st_mode) == 0o700
        for path in data_dir.rglob("*"):
            assert stat.S_IMODE(path.stat().st_mode) == (0o700 if path.is_dir() else 0o600), path


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
        "volunteer-certificate\t志愿服务时长证明（按年：2026，或日期范围：2026-01-01..2026-06-30），"
        "用 --resident 指定居民",
        "redemption-slip\t兑换凭证（不分期间，每条记录一张），用 --record 指定兑换编号",
        "stock-ledger\t积分超市库存台账（按月：2026-11，按半年：2026-H2，或按年：2026）",
        "donor-thanks\t捐赠致谢（按月：2026-11，按半年：2026-H2，或按年：2026）",
        "merchant-statement\t商户服务对账单（按月：2026-11），用 --record 指定商户编号",
        "meeting-results\t议事结果公示（不分期间，每条记录一张），用 --record 指定会议编号",
        "meeting-minutes\t议事会议记录（不分期间，每条记录一张），用 --record 指定会议编号",
        "meeting-sign-in\t议事会议签到表（不分期间，每条记录一张），用 --record 指定会议编号",
        "tickets-monthly\t民生事项办理公示（按月：2026-11）",
        "tickets-figures\t民生事项月度统计（按月：2026-11）",
        "ticket-record\t工单记录（不分期间，每条记录一张），用 --record 指定工单编号",
        "station-summary\t月度工作报表（按月：2026-11）",
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


# ------------------------------------------------------------------ report volunteer-certificate


@pytest.fixture
def volunteers(database: Database, staff_id: int) -> dict[str, int]:
    """张三明 served 2.5 h twice in 2026; two residents are called 王芳; 李四 never served."""
    with database.write() as session:
        homes = [compound.add_household(session, staff_id, HouseholdInput("3", "2", room)) for room in ("501", "502")]
        far = compound.add_household(session, staff_id, HouseholdInput("10", "1", "101"))
        people = {
            "张三明": residents.add_resident(session, staff_id, ResidentInput(
                "张三明", homes[0], "男", "1956-03-02", relation="户主", phone="13812341234", id_number=ZHANG_ID)),
            "李四": residents.add_resident(session, staff_id, ResidentInput("李四", homes[1], "男", "1970-01-01",
                                                                          relation="户主")),
            "王芳1": residents.add_resident(session, staff_id, ResidentInput("王芳", homes[1], "女", "1972-02-02",
                                                                           relation="配偶")),
            "王芳2": residents.add_resident(session, staff_id, ResidentInput("王芳", far, "女", "1990-09-09",
                                                                           relation="户主")),
        }
        for date in ("2026-03-06", "2026-11-20"):
            activity = volunteer.add_activity(session, staff_id, ActivityInput(
                f"清理绿化带（{date}）", "环境整治", date, "09:00", "11:30"))
            volunteer.record_hours(session, staff_id, activity, people["张三明"], today=dt.date(2026, 11, 22))
            volunteer.record_hours(session, staff_id, activity, people["王芳2"], today=dt.date(2026, 11, 22))
    return people


ZHANG_ID = "11010519560302001" + id_check_digit("11010519560302001")


def certificate_args(data_dir: Path, *more: str) -> list[str]:
    return ["--data-dir", str(data_dir), "report", "volunteer-certificate", "--period", "2026",
            "--date", "2026-11-22", *more]


def test_a_certificate_for_a_resident_named(data_dir: Path, volunteers: dict[str, int], tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(certificate_args(data_dir, "--resident", " 张三明 ")) == 0
    default = tmp_path / "志愿服务时长证明-张三明-2026.pdf"
    assert capsys.readouterr().out == f"已生成 {default}（1页）\n"
    text = "".join(PdfReader(default).pages[0].extract_text().split())
    assert "兹证明张三明（男）同志" in text and "累计服务时长5小时" in text and "13812341234" not in text
    # by ID number (身份证号), which is not printed
    assert main(certificate_args(data_dir, "--resident", ZHANG_ID.lower(), "--out", "by-id.pdf")) == 0
    assert capsys.readouterr().out == f"已生成 {tmp_path / 'by-id.pdf'}（1页）\n"
    assert ZHANG_ID not in PdfReader(tmp_path / "by-id.pdf").pages[0].extract_text()
    # by number, for one of two residents of the same name, into a chosen file
    assert main(certificate_args(data_dir, "--resident", str(volunteers["王芳2"]), "--out", "wang")) == 0
    assert capsys.readouterr().out == f"已生成 {tmp_path / 'wang.pdf'}（1页）\n"
    assert "兹证明王芳（女）同志，住本小区10栋1单元101" in "".join(
        PdfReader(tmp_path / "wang.pdf").pages[0].extract_text().split())


def test_a_certificate_for_a_date_range(data_dir: Path, volunteers: dict[str, int], tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    args = certificate_args(data_dir, "--resident", "张三明")
    args[args.index("2026")] = "2026-01-01..2026-06-30"
    assert main(args) == 0
    out = tmp_path / "志愿服务时长证明-张三明-2026-01-01至2026-06-30.pdf"
    assert capsys.readouterr().out == f"已生成 {out}（1页）\n"
    assert "累计服务时长2.5小时" in "".join(PdfReader(out).pages[0].extract_text().split())


def test_a_name_shared_by_several_residents_is_refused_with_their_addresses(
        data_dir: Path, volunteers: dict[str, int], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(certificate_args(data_dir, "--resident", "王芳")) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "有2位居民名叫“王芳”，请用 --resident 编号 指定其中一位："
    assert lines[1:] == [f"  编号 {volunteers['王芳1']}　王芳　女　1972年生　3栋2单元502",
                         f"  编号 {volunteers['王芳2']}　王芳　女　1990年生　10栋1单元101"]
    assert not list(tmp_path.glob("*.pdf"))


@pytest.mark.parametrize(("more", "message"), [
    ((), "开具志愿服务时长证明需要用 --resident 指定居民（姓名或编号），例如 --resident 张三明"),
    (("--resident", ""), "需要用 --resident 指定居民"),
    (("--resident", "赵六"), "没有名叫“赵六”的居民"),
    (("--resident", "9999"), "没有编号为 9999 的居民"),
    (("--resident", "11010519700101001" + id_check_digit("11010519700101001")), "没有这个身份证号的居民"),
    (("--resident", "110105195603020010"), "身份证号不对"),
    (("--resident", "李四"), "这段时间内没有志愿服务记录，无法开具证明"),
    (("--resident", "张三明", "--building", "3"), "不用 --building"),
    (("--resident", "张三明", "--date", "2026-02-30"), "开具日期不对"),
])
def test_certificate_refusals_are_messages(data_dir: Path, volunteers: dict[str, int], tmp_path: Path,
                                           more: tuple[str, ...], message: str, monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(certificate_args(data_dir, *more)) == 1
    assert message in capsys.readouterr().out
    assert not list(tmp_path.glob("*.pdf"))


@pytest.mark.parametrize(("args", "message"), [
    (["volunteer-certificate", "--resident", "张三明", "--period", "2026-13"], "期间格式不对"),
    (["volunteer-certificate", "--resident", "张三明"], "请用 --period 指定期间（按年：2026，或日期范围"),
    (["points-monthly", "--period", "2026-11", "--resident", "张三明"], "月度积分公示不是开给某一位居民的，不用 --resident"),
])
def test_certificate_options_are_checked(data_dir: Path, volunteers: dict[str, int], tmp_path: Path,
                                         args: list[str], message: str, monkeypatch: pytest.MonkeyPatch,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["--data-dir", str(data_dir), "report", *args]) == 1
    assert message in capsys.readouterr().out
    assert not list(tmp_path.glob("*.pdf"))


def test_a_certificate_as_a_real_command(data_dir: Path, volunteers: dict[str, int], tmp_path: Path) -> None:
    out = tmp_path / "证明.pdf"
    result = run_program(tmp_path, "report", "volunteer-certificate", "--resident", "张三明", "--period", "2026",
                         "--date", "2026-11-22", "--out", str(out), env_dir=data_dir)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"已生成 {out}（1页）" and out.exists()


# ------------------------------------------------------------------ report redemption-slip and other shop prints


@pytest.fixture
def redemption(database: Database, staff_id: int) -> dict[str, int]:
    """张三明 redeemed a bottle of oil (30 of his 50 points) through the services, today; a merchant exists."""
    today = dt.date.today()
    with database.write() as session:
        auditor = staff.add(session, staff_id, "李建国", AUDITOR)
        home = compound.add_household(session, staff_id, HouseholdInput("3", "2", "501"))
        zhang = residents.add_resident(session, staff_id, ResidentInput(
            "张三明", home, "男", "1956-03-02", relation="户主", phone="13812341234"))
        item = points.add_item(session, staff_id, points.ItemInput("测试", "五十分", "50"))
        entry = points.record(session, staff_id, points.EntryInput(item, zhang, None, today.isoformat()), today)
        points.review(session, auditor, [entry], approve=True)
        merchant = shop.save_merchant(session, staff_id, "老街理发店", "王师傅", "13912340000", "理发")
        oil = shop.save_item(session, staff_id, shop.ItemInput("食用油（5升）", "30", "goods", "粮油", "桶"))
        shop.stock_in(session, staff_id, oil, "5", "商户捐赠", "幸福超市")
        slip = shop.redeem(session, staff_id, [shop.BasketLine(oil)], zhang, today=today)
    return {"slip": slip, "merchant": merchant}


def test_a_redemption_slip_by_its_number(data_dir: Path, redemption: dict[str, int], tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["--data-dir", str(data_dir), "report", "redemption-slip", "--record", str(redemption["slip"])]) == 0
    default = tmp_path / f"兑换凭证-DH{redemption['slip']:06d}.pdf"
    assert capsys.readouterr().out == f"已生成 {default}（1页）\n"
    text = "".join(PdfReader(default).pages[0].extract_text().split())
    assert "积分超市兑换凭证" in text and "张三明" in text and "兑换后可用积分余额：20分" in text
    assert "13812341234" not in text
    # a merchant's statement is named after the merchant
    month = points.month_of(dt.date.today())
    assert main(["--data-dir", str(data_dir), "report", "merchant-statement", "--period", month,
                 "--record", str(redemption["merchant"])]) == 0
    assert capsys.readouterr().out == f"已生成 {tmp_path / f'商户服务对账单-老街理发店-{month}.pdf'}（1页）\n"


@pytest.mark.parametrize(("args", "message"), [
    (["redemption-slip"], "打印兑换凭证需要用 --record 指定兑换编号，例如 --record 12"),
    (["redemption-slip", "--record", "abc"], "--record 应填兑换编号（正整数）"),
    (["redemption-slip", "--record", "0"], "--record 应填兑换编号（正整数）"),
    (["redemption-slip", "--record", "999"], "没有编号为 999 的兑换记录"),
    (["redemption-slip", "--record", "1", "--building", "3"], "兑换凭证不分楼栋，不用 --building"),
    (["merchant-statement", "--period", "2026-11"], "打印商户服务对账单需要用 --record 指定商户编号"),
    (["merchant-statement", "--period", "2026-11", "--record", "77"], "没有编号为 77 的联盟商户"),
    (["stock-ledger", "--period", "2026-11", "--record", "1"], "积分超市库存台账不是某一条记录的，不用 --record"),
    (["stock-ledger"], "请用 --period 指定期间（按月：2026-11，按半年：2026-H2，或按年：2026）"),
    (["donor-thanks", "--period", "2026-H3"], "期间格式不对"),
])
def test_shop_print_refusals_are_messages(data_dir: Path, redemption: dict[str, int], tmp_path: Path,
                                          args: list[str], message: str, monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["--data-dir", str(data_dir), "report", *args]) == 1
    assert message in capsys.readouterr().out
    assert not list(tmp_path.glob("*.pdf"))


# ------------------------------------------------------------------ the command line signs in (import-roster)

OWN = "qingshan-2026"  # the accounts' own passwords in these tests
ONE_TIME = "yici-8841"


@pytest.fixture(autouse=True)
def _umask_kept() -> Iterator[None]:
    """main() makes the process's files private (umask 077): put the test process's umask back after."""
    if os.name != "posix":
        yield
        return
    kept = os.umask(0o022)
    os.umask(kept)
    try:
        yield
    finally:
        os.umask(kept)


@pytest.fixture
def accounts(database: Database, staff_id: int) -> dict[str, int]:
    """李红 (管理员), 吴静 (录入员) and 孙审 (积分审核员) have their own passwords; 周文 only the one-time one an
    administrator gave; 郑强 had his own, and is 停用."""
    with database.write() as session:
        staff.set_first_password(session, staff_id, OWN, OWN)
        found = {"李红": staff_id}
        for name in ("吴静", "周文", "郑强"):
            found[name] = staff.add(session, staff_id, name, CLERK, ONE_TIME)
        found["孙审"] = staff.add(session, staff_id, "孙审", AUDITOR, ONE_TIME)
        for name in ("吴静", "郑强", "孙审"):
            staff.set_password(session, found[name], found[name], OWN, OWN, current=ONE_TIME)
        staff.update(session, staff_id, found["郑强"], "郑强", CLERK, active=False)
    return found


@pytest.fixture
def roster_file(tmp_path: Path) -> Path:
    """Two new residents of 3栋2单元501."""
    path = tmp_path / "3栋花名册.xlsx"
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "3栋"
    sheet.append(["姓名", "性别", "出生年月", "单元", "房号"])
    sheet.append(["张三明", "男", dt.date(1956, 3, 2), 2, 501])
    sheet.append(["王秀英", "女", dt.date(1958, 7, 15), 2, 501])
    workbook.save(path)
    return path


def password_file(tmp_path: Path, text: str, mode: int = 0o600) -> Path:
    path = tmp_path / "password.txt"
    path.write_text(text, encoding="utf-8")
    path.chmod(mode)
    return path


def snapshot(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every table's rows, as SQLite has them."""
    with contextlib.closing(sqlite3.connect(path)) as conn:
        tables = [row[0] for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        return {table: sorted(conn.execute(f'SELECT * FROM "{table}"').fetchall(), key=repr) for table in tables}


def without_login_counter(tables: dict[str, list[tuple[object, ...]]], path: Path) -> dict[str, list[tuple[object, ...]]]:
    """The tables with the staff rows' failed-login counter and wait blanked, and without login_failed rows."""
    with contextlib.closing(sqlite3.connect(path)) as conn:
        staff_columns = [row[1] for row in conn.execute("PRAGMA table_info(staff)")]
        audit_columns = [row[1] for row in conn.execute("PRAGMA table_info(audit_log)")]
    blank = [staff_columns.index("failed_logins"), staff_columns.index("locked_until")]
    action = audit_columns.index("action")
    kept = dict(tables)
    kept["staff"] = [tuple(None if i in blank else v for i, v in enumerate(row)) for row in tables["staff"]]
    kept["audit_log"] = [row for row in tables["audit_log"] if row[action] != "login_failed"]
    return kept


def import_args(data_dir: Path, roster_file: Path, *more: str) -> list[str]:
    return ["--data-dir", str(data_dir), "import-roster", str(roster_file), *more]


def test_import_roster_help_names_the_account_and_the_password_file(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["import-roster", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    for words in ("--user", "工作人员账号", "staff account", "--password-file", "chmod 600", "without echo"):
        assert words in text


@pytest.mark.parametrize(("who", "message"), [
    ((), "请用 --user 写出您的工作人员姓名"),
    (("--user", "钱多多"), "没有名叫“钱多多”的工作人员账号"),
    (("--user", "郑强"), "这个工作人员账号不存在或已停用"),
    (("--user", "周文"), "周文的密码是管理员给的一次性密码：请先在程序窗口里用它登录一次，设置自己的密码"),
    (("--user", "孙审"), "导入花名册需要录入员或管理员账号，孙审是积分审核员"),
])
def test_an_import_that_is_not_signed_in_writes_nothing(
        data_dir: Path, database: Database, accounts: dict[str, int], roster_file: Path, tmp_path: Path,
        who: tuple[str, ...], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.IMPORT_ROLES == access.ROSTER  # as roster.import_roster requires
    secret = password_file(tmp_path, (ONE_TIME if "周文" in who else OWN) + "\n")
    before = snapshot(data_dir / "station.sqlite3")
    assert main(import_args(data_dir, roster_file, *who, "--password-file", str(secret))) == 2
    assert message in capsys.readouterr().out
    assert snapshot(data_dir / "station.sqlite3") == before


def test_a_wrong_password_writes_nothing_but_the_counted_try(
        data_dir: Path, accounts: dict[str, int], roster_file: Path, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    path = data_dir / "station.sqlite3"
    before = snapshot(path)
    secret = password_file(tmp_path, "not-my-password\n")
    assert main(import_args(data_dir, roster_file, "--user", "吴静", "--password-file", str(secret))) == 2
    assert "密码不对，再错2次要等一会儿才能再试" in capsys.readouterr().out
    after = snapshot(path)
    # Only the wrong try is kept, committed as at the window's sign-in: 吴静's failed-login counter and
    # one login_failed row in the 操作记录. Every other table, and every other column, is as it was.
    assert without_login_counter(after, path) == without_login_counter(before, path)
    with contextlib.closing(sqlite3.connect(path)) as conn:
        assert conn.execute("SELECT failed_logins FROM staff WHERE id = ?", (accounts["吴静"],)).fetchone() == (1,)
        assert conn.execute("SELECT staff_id, summary FROM audit_log WHERE action = 'login_failed'").fetchall() == [
            (accounts["吴静"], "密码错误（命令行导入花名册）：吴静")]
    assert count(path, "residents") == 0


def test_a_password_file_others_can_read_is_refused(data_dir: Path, accounts: dict[str, int], roster_file: Path,
                                                    tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    if os.name != "posix":
        pytest.skip("file permission bits are POSIX")
    before = snapshot(data_dir / "station.sqlite3")
    secret = password_file(tmp_path, OWN, mode=0o640)
    assert main(import_args(data_dir, roster_file, "--user", "吴静", "--password-file", str(secret))) == 2
    out = capsys.readouterr().out
    assert "别人也能读取" in out and f"chmod 600 {secret}" in out
    assert snapshot(data_dir / "station.sqlite3") == before
    assert main(import_args(data_dir, roster_file, "--user", "吴静", "--password-file",
                            str(tmp_path / "none.txt"))) == 2
    assert "找不到密码文件" in capsys.readouterr().out
    assert snapshot(data_dir / "station.sqlite3") == before


def audit_since(path: Path, before: int) -> list[tuple[object, ...]]:
    """The 操作记录 rows (staff id, action, entity, summary) written after the first ``before``."""
    with contextlib.closing(sqlite3.connect(path)) as conn:
        return conn.execute("SELECT staff_id, action, entity, summary FROM audit_log WHERE id > ? ORDER BY id",
                            (before,)).fetchall()


def test_the_signed_in_account_imports_and_the_audit_log_names_it(
        data_dir: Path, accounts: dict[str, int], roster_file: Path, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    path = data_dir / "station.sqlite3"
    before = count(path, "audit_log")
    secret = password_file(tmp_path, OWN + "\n")  # one trailing newline is not part of the password
    assert main(import_args(data_dir, roster_file, "--user", " 吴静 ", "--password-file", str(secret))) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "新增 2, 更新 0, 跳过 0, 错误 0"
    assert count(path, "residents") == 2
    rows = audit_since(path, before)
    assert rows[0] == (accounts["吴静"], "confirm", "staff", "命令行导入花名册：吴静输入了自己的密码")
    assert len(rows) > 1 and {row[0] for row in rows} == {accounts["吴静"]}  # the import's rows are 吴静's


def test_the_password_typed_at_the_terminal(data_dir: Path, accounts: dict[str, int], roster_file: Path,
                                            monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    asked: list[str] = []

    def typed(prompt: str = "") -> str:
        asked.append(prompt)
        return OWN

    monkeypatch.setattr("getpass.getpass", typed)
    path = data_dir / "station.sqlite3"
    before = count(path, "audit_log")
    assert main(import_args(data_dir, roster_file, "--user", "李红")) == 0
    assert asked == ["李红的密码："]
    assert "新增 2" in capsys.readouterr().out
    assert count(path, "residents") == 2
    rows = audit_since(path, before)
    assert rows[0][:2] == (accounts["李红"], "confirm") and {row[0] for row in rows} == {accounts["李红"]}


def test_typing_broken_off_imports_nothing(data_dir: Path, accounts: dict[str, int], roster_file: Path,
                                           monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    def broken(prompt: str = "") -> str:
        raise KeyboardInterrupt

    monkeypatch.setattr("getpass.getpass", broken)
    before = snapshot(data_dir / "station.sqlite3")
    assert main(import_args(data_dir, roster_file, "--user", "李红")) == 2
    assert "没有输入密码" in capsys.readouterr().out
    assert snapshot(data_dir / "station.sqlite3") == before


def test_a_dry_run_needs_no_password_and_writes_nothing(data_dir: Path, accounts: dict[str, int],
                                                        roster_file: Path, monkeypatch: pytest.MonkeyPatch,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr("getpass.getpass", lambda prompt="": pytest.fail("a dry run asks for no password"))
    before = snapshot(data_dir / "station.sqlite3")
    assert main(import_args(data_dir, roster_file, "--dry-run")) == 0
    assert capsys.readouterr().out.splitlines()[-2:] == ["（试导入：只检查，没有写入）", "新增 2, 更新 0, 跳过 0, 错误 0"]
    assert snapshot(data_dir / "station.sqlite3") == before


def test_an_unreadable_roster_is_still_exit_1(data_dir: Path, accounts: dict[str, int], tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"nonsense")
    assert main(import_args(data_dir, bad, "--user", "吴静")) == 1
    assert "无法读取 bad.xlsx" in capsys.readouterr().out


# ------------------------------------------------------------------ prints are recorded


def test_a_print_from_the_command_line_is_recorded_with_the_computers_user(
        data_dir: Path, household_id: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    path = data_dir / "station.sqlite3"
    before = count(path, "audit_log")
    assert main(["--data-dir", str(data_dir), "report", "points-monthly", "--period", "2026-11",
                 "--date", "2026-11-22", "--out", "公示"]) == 0
    assert capsys.readouterr().out == f"已生成 {tmp_path / '公示.pdf'}（1页）\n"
    with contextlib.closing(sqlite3.connect(path)) as conn:
        rows = conn.execute("SELECT staff_id, action, entity, summary, after FROM audit_log WHERE id > ? ORDER BY id",
                            (before,)).fetchall()
    assert len(rows) == 1
    staff_id, action, entity, summary, after = rows[0]
    user = getpass.getuser()
    assert (staff_id, action, entity) == (None, "print", "document")
    assert summary == f"打印月度积分公示（命令行，电脑用户 {user}）：公示.pdf，1页"
    assert json.loads(after) == {"file": "公示.pdf", "people": 0, "os_user": user}
    # a refused print is not recorded
    assert main(["--data-dir", str(data_dir), "report", "points-monthly", "--period", "2026-13"]) == 1
    assert count(path, "audit_log") == before + 1
