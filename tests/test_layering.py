"""station/ and db/ never import Qt: every rule is testable without a screen."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

BLOCK_QT = """
import importlib.abc, pkgutil, sys

class NoQt(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name.split(".")[0] in ("PySide6", "shiboken6", "qtawesome", "ui"):
            raise ImportError(f"{name} is not available here")
        return None

sys.meta_path.insert(0, NoQt())
import db, station
names = []
for package in (db, station):
    for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        if info.name.startswith("db.migrations"):
            continue  # Alembic scripts, loaded by Alembic
        __import__(info.name)
        names.append(info.name)
print(len(names), "modules imported without Qt")
"""


def test_station_and_db_import_without_pyside6() -> None:
    result = subprocess.run([sys.executable, "-c", BLOCK_QT], cwd=ROOT, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    count = int(result.stdout.split()[0])
    assert count >= 12


def test_the_blocker_really_blocks() -> None:
    result = subprocess.run([sys.executable, "-c", BLOCK_QT + "\nimport PySide6.QtCore\n"], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode != 0 and "PySide6 is not available here" in result.stderr
