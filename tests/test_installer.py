"""The installer: the one-folder bundle is built, has what the program loads, starts, and upgrades an old data folder.

Slow (PyInstaller takes about a minute here) but part of every run: a bundle that does not start is caught
before a station gets it.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import subprocess
import sys
import tarfile
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import build_installer  # noqa: E402
from db.migrate import HEAD_REVISION  # noqa: E402

pytestmark = [pytest.mark.slow]
STORED_0001 = Path(__file__).parent / "data" / "station-0001.sqlite3"


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    pytest.importorskip("PyInstaller", reason='the installer needs PyInstaller: pip install -e ".[build]"')
    work = tmp_path_factory.mktemp("installer")
    _name, version = build_installer.project_metadata()
    # PyInstaller runs in a process of its own: it sets up logging and warnings its own way.
    code = (f"import build_installer; build_installer.build(__import__('pathlib').Path({str(work / 'dist')!r}), "
            f"__import__('pathlib').Path({str(work / 'build')!r}), {version!r})")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    folder = work / "dist" / build_installer.APP
    yield folder
    shutil.rmtree(work, ignore_errors=True)


def test_the_bundle_has_what_the_program_loads_at_run_time(bundle: Path) -> None:
    assert build_installer.bundle_problems(bundle) == []
    names = {path.name for path in bundle.rglob("*.py") if "versions" in path.parts}
    assert f"{HEAD_REVISION}_issue_tickets.py" in names or any(name.startswith(HEAD_REVISION) for name in names)
    assert not any("QtWebEngine" in path.name or "QtQuick" in path.name for path in bundle.rglob("*"))
    size = build_installer.folder_size(bundle) / 2**20
    print(f"bundle: {size:.0f} MB", file=sys.stderr)
    assert size < 400


def test_the_built_program_starts_on_a_new_data_folder(bundle: Path) -> None:
    printed = build_installer.smoke_test(bundle)
    assert "window shown" in printed


def test_the_built_program_upgrades_an_old_data_folder_and_keeps_its_data(bundle: Path, tmp_path: Path) -> None:
    data = tmp_path / "StationDesk"
    data.mkdir()
    shutil.copy(STORED_0001, data / "station.sqlite3")
    with contextlib.closing(sqlite3.connect(data / "station.sqlite3")) as conn:
        people = conn.execute("SELECT count(*) FROM residents").fetchone()[0]
    result = subprocess.run([str(build_installer.executable(bundle)), "--data-dir", str(data), "--smoke"],
                            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"}, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    with contextlib.closing(sqlite3.connect(data / "station.sqlite3")) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == HEAD_REVISION
        assert conn.execute("SELECT count(*) FROM residents").fetchone()[0] == people > 0
    assert [path.name for path in (data / "backups").glob("*before-upgrade-0001*")]  # backed up first


def test_the_linux_archive_holds_the_folder_and_a_desktop_entry(bundle: Path, tmp_path: Path) -> None:
    if sys.platform == "win32":
        pytest.skip("the Linux archive is made on Linux")
    archive = build_installer.linux_archive(bundle, tmp_path, "9.9.9")
    with tarfile.open(archive) as tar:
        names = tar.getnames()
        entry = tar.extractfile("station-desk.desktop")
        assert entry is not None and "Exec=StationDesk/StationDesk" in entry.read().decode()
    assert "StationDesk/StationDesk" in names and "station-desk.png" in names


def test_the_windows_script_installs_per_user_and_leaves_the_data(bundle: Path, tmp_path: Path) -> None:
    script = build_installer.inno_script(bundle, tmp_path, "9.9.9").read_text(encoding="utf-8-sig")
    assert "PrivilegesRequired=lowest" in script and "OutputBaseFilename=StationDesk-9.9.9-setup" in script
    assert "{autodesktop}" in script and "{group}" in script and "MinVersion=10.0.17763" in script
    assert "UninstallDelete" not in script  # the uninstaller removes the program only
