"""Entry point: ``python -m station`` (or the ``station`` script) starts the program."""

from __future__ import annotations

import argparse
import sys
import time

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
    return parser


def main(argv: list[str] | None = None) -> int:
    started = time.perf_counter()
    args = build_parser().parse_args(argv)
    from station.paths import resolve_data_dir
    from ui.app import run

    return run(resolve_data_dir(args.data_dir), demo=args.demo, smoke=args.smoke, started=started)


if __name__ == "__main__":
    sys.exit(main())
