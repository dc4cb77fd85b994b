"""Entry point: ``python -m station`` (or the ``station`` script) starts the program."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from station import APP_TITLE, __version__
from station.paths import DATA_DIR_ENV


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="station",
        description=f"{APP_TITLE} {__version__} — Station desk, the front-desk program of a "
        "residential-compound party-mass service station.",
        epilog=f"数据文件夹也可以用环境变量 {DATA_DIR_ENV} 指定。"
        f" The data folder can also be chosen with the environment variable {DATA_DIR_ENV}.",
    )
    parser.add_argument(
        "--data-dir",
        metavar="PATH",
        help="数据文件夹（默认为本用户的数据文件夹）。Data folder (default: the user's data folder).",
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help="在空的数据文件夹中直接载入示例小区，不弹出设置窗口。"
        "Load the demo compound into an empty data folder, without any dialog.",
    )
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="打开主窗口后立即退出，用于检查安装。Show the main window, then exit (installation check).",
    )
    parser.add_argument("--version", action="version", version=f"{APP_TITLE} {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="命令 command")
    roster = commands.add_parser(
        "import-roster",
        help="不打开窗口，导入居民花名册（Excel/WPS）。Import a residents' roster without the window.",
        description="导入居民花名册：每行打印行号、状态和原因，最后一行是汇总。写入数据要用 --user 指定"
        "工作人员账号并输入它的密码；账号、密码或权限不对时退出码为2，什么也不写入。"
        "Import a residents' roster: one line per row (row number, status, reason), then a summary. "
        "Writing needs a staff account (--user) and its password; a wrong account, password or role "
        "exits with code 2 and writes nothing.",
    )
    roster.add_argument("file", type=Path, metavar="FILE", help="花名册文件 (.xlsx/.xls/.et)。The roster file.")
    roster.add_argument("--sheet", metavar="NAME",
                        help="只导入这个工作表（默认：全部，每栋一张）。Only this sheet (default: all).")
    roster.add_argument("--dry-run", action="store_true",
                        help="只检查、不写入。Check only, write nothing.")
    roster.add_argument("--rejects", type=Path, metavar="OUT.xlsx",
                        help="把错误行连同错误原因另存为表格。Save the rejected rows with their reasons.")
    roster.add_argument("--user", metavar="NAME",
                        help="以这个工作人员账号导入（姓名，和登录窗口里的一样）；之后输入它的密码（不显示）。"
                        "试导入不用。The staff account that imports (its name, as at the sign-in window); its "
                        "password is asked for without echo. Not needed with --dry-run.")
    roster.add_argument("--password-file", type=Path, metavar="FILE",
                        help="从这个文件读取密码（供脚本使用；文件只能让自己读取，例如 chmod 600）。"
                        "Read the password from this file, for scripts (it must be readable by its owner "
                        "only, e.g. chmod 600).")
    report = commands.add_parser(
        "report",
        help="不打开窗口，生成公示PDF或志愿服务时长证明。Make a notice or certificate (PDF) without the window.",
        description="生成可打印的公示PDF（A4），例如：report points-monthly --period 2026-11 --out 公示.pdf；"
        "开具志愿服务时长证明：report volunteer-certificate --resident 张三明 --period 2026；"
        "积分超市兑换凭证：report redemption-slip --record 12。不用密码，但每次打印都记入操作记录"
        "（注明从命令行打印和电脑的用户名）。"
        "Make a printable notice (A4 PDF), e.g. report points-monthly --period 2026-11 --out notice.pdf, "
        "a volunteer-hours certificate: report volunteer-certificate --resident NAME --period 2026, "
        "or a points-supermarket redemption slip: report redemption-slip --record 12. No password is "
        "needed, but every print is kept in the audit log, as printed from the command line by the "
        "computer's user.",
    )
    report.add_argument("name", nargs="?", metavar="NAME",
                        help="公示名称，用 --list 查看全部。The notice's name (see --list).")
    report.add_argument("--list", action="store_true",
                        help="列出可以生成的公示。List the notices that can be made.")
    report.add_argument("--period", metavar="PERIOD",
                        help="期间：月份如 2026-11，半年如 2026-H1；证明按年如 2026，或日期范围如 "
                        "2026-01-01..2026-06-30；库存台账和捐赠致谢按月、半年或年；兑换凭证不用。"
                        "The period: a month (2026-11), a half-year (2026-H1), or for a "
                        "certificate a year (2026) or a date range (2026-01-01..2026-06-30); the stock ledger "
                        "and the donors' thanks take a month, a half-year or a year; a slip takes none.")
    report.add_argument("--resident", metavar="WHO",
                        help="证明开给哪位居民：姓名或编号（重名时用编号）。The resident a certificate is for: "
                        "a name, or the number listed when several share the name.")
    report.add_argument("--record", metavar="N",
                        help="兑换凭证的兑换编号，或商户对账单的商户编号。The record a print is about: the "
                        "redemption of a slip, the merchant of a statement.")
    report.add_argument("--out", type=Path, metavar="FILE.pdf",
                        help="保存为这个文件（默认：当前文件夹中的“公示名称-期间.pdf”）。"
                        "Where to save it (default: \"title-period.pdf\" in the current folder).")
    report.add_argument("--building", action="append", metavar="NUMBER",
                        help="只打印这一栋，可重复，例如 --building 3。Only this building (repeatable).")
    report.add_argument("--date", metavar="YYYY-MM-DD",
                        help="公示开始日期，或证明的开具日期（默认今天）。First day of the objection period, or "
                        "the day a certificate is issued (default: today).")
    return parser


def main(argv: list[str] | None = None) -> int:
    started = time.perf_counter()
    args = build_parser().parse_args(argv)
    from station.paths import private_umask, resolve_data_dir

    private_umask()  # the database, its -wal/-shm, backups, logs and exports: only their owner may read them

    data_dir = resolve_data_dir(args.data_dir)
    if args.command == "report":
        from station import cli

        if args.list:
            return cli.list_reports()
        return cli.report(data_dir, args.name, args.period, args.out, args.building or (), args.date,
                          resident=args.resident, record=args.record)
    if args.command == "import-roster":
        from station import cli

        data_dir.mkdir(parents=True, exist_ok=True)
        return cli.import_roster(data_dir, args.file, args.sheet, args.dry_run, args.rejects, user=args.user,
                                 password_file=args.password_file)
    from ui.app import run

    return run(data_dir, demo=args.demo, smoke=args.smoke, started=started)


if __name__ == "__main__":
    sys.exit(main())
