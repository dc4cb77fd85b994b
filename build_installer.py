"""Build Station desk as a one-folder program and check that it starts.

    python build_installer.py            # needs: pip install -e ".[build]"

What it does now: reads the name and version from pyproject.toml, runs PyInstaller
(one folder, not one file: antivirus programs flag one-file bundles) with the
migrations, resources and qtawesome's fonts inside, then starts the built
program once with --smoke on a new data folder in a temporary directory; a
failure there fails the build.

What it does not do yet: the Windows setup program (Inno Setup) and the Linux
.tar.gz with a .desktop file. It says so at the end rather than pretend.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent
APP = "StationDesk"


def project_metadata() -> tuple[str, str]:
    import tomllib

    with open(ROOT / "pyproject.toml", "rb") as file:
        project = tomllib.load(file)["project"]
    return project["name"], project["version"]


def build(dist: Path, work: Path) -> Path:
    try:
        import PyInstaller.__main__ as pyinstaller
    except ImportError:
        sys.exit('PyInstaller is not installed: run  pip install -e ".[build]"  first.')
    separator = os.pathsep
    arguments = [
        str(ROOT / "station" / "__main__.py"),
        "--name", APP,
        "--onedir",
        "--windowed",
        "--noconfirm",
        "--clean",
        "--distpath", str(dist),
        "--workpath", str(work),
        "--specpath", str(work),
        # Alembic reads the migration scripts from disk.
        "--add-data", f"{ROOT / 'db' / 'migrations'}{separator}db/migrations",
        "--add-data", f"{ROOT / 'resources'}{separator}resources",
        "--collect-data", "qtawesome",
        "--collect-submodules", "alembic",
        "--hidden-import", "sqlalchemy.dialects.sqlite",
        # Qt modules the program does not use.
        "--exclude-module", "PySide6.QtQml",
        "--exclude-module", "PySide6.QtQuick",
        "--exclude-module", "PySide6.QtWebEngineCore",
        "--exclude-module", "tkinter",
        # Development tools that happen to be installed beside the program.
        "--exclude-module", "pytest",
        "--exclude-module", "_pytest",
        "--exclude-module", "pytestqt",
        "--exclude-module", "hypothesis",
        "--exclude-module", "PyInstaller",
        "--exclude-module", "mypy",
        "--exclude-module", "ast_serialize",
    ]
    pyinstaller.run(arguments)
    folder = dist / APP
    if not folder.is_dir():
        sys.exit(f"PyInstaller did not produce {folder}")
    return folder


def smoke_test(folder: Path) -> None:
    executable = folder / (APP + (".exe" if sys.platform == "win32" else ""))
    with tempfile.TemporaryDirectory() as data_dir:
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
        result = subprocess.run([str(executable), "--data-dir", data_dir, "--demo", "--smoke"],
                                env=env, capture_output=True, text=True, timeout=300)
    if result.returncode != 0 or "window shown" not in result.stdout:
        sys.exit(f"The built program did not start (exit {result.returncode}):\n{result.stdout}\n{result.stderr}")
    print(f"smoke test passed: {result.stdout.strip()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dist", type=Path, default=ROOT / "dist")
    parser.add_argument("--work", type=Path, default=ROOT / "build")
    args = parser.parse_args()
    name, version = project_metadata()
    print(f"building {name} {version}")
    if (args.dist / APP).exists():
        shutil.rmtree(args.dist / APP)
    folder = build(args.dist, args.work)
    smoke_test(folder)
    size = sum(f.stat().st_size for f in folder.rglob("*") if f.is_file()) / 2**20
    print(f"built {folder} ({size:.0f} MB)")
    print("Not built yet: the Windows setup program (Inno Setup) and the Linux .tar.gz; "
          "hand over the folder above as it is.")


if __name__ == "__main__":
    main()
