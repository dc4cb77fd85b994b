"""Errors of the environment (locked, full, damaged file) named for the user.

Following the split between known environment errors and bugs: a known one
becomes :class:`DatabaseProblem` with a Chinese message; anything else stays
a bug and propagates as it is.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator

from sqlalchemy import exc

# (fragment of SQLite's message, what the staff member is told)
_KNOWN = (
    ("database is locked", "数据文件正被另一个程序使用（可能是另一个打开的工作台），请稍后再试。"),
    ("database table is locked", "数据文件正被另一个程序使用（可能是另一个打开的工作台），请稍后再试。"),
    ("database or disk is full", "磁盘空间已满，本次操作没有保存。请清理磁盘后再试。"),
    ("disk i/o error", "读写数据文件时出错（磁盘或U盘可能有问题），本次操作没有保存。"),
    ("readonly database", "数据文件是只读的，无法保存。请检查文件权限或数据文件夹。"),
    ("unable to open database file", "无法打开数据文件，请检查数据文件夹是否存在、是否有权限。"),
    ("file is not a database", "这个文件不是工作台的数据文件，或已经损坏。"),
    ("malformed", "数据文件已损坏。请从备份恢复，或联系技术人员。"),
)


class DatabaseProblem(Exception):
    """A database error caused by the environment, with a message for the user."""

    def __init__(self, message: str, detail: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.detail = detail


def describe(error: BaseException) -> str | None:
    """The Chinese message for a known SQLite environment error, else None."""
    text = str(getattr(error, "orig", None) or error).lower()
    for fragment, message in _KNOWN:
        if fragment in text:
            return message
    return None


@contextlib.contextmanager
def translate_errors() -> Iterator[None]:
    """Re-raise known SQLite environment errors as :class:`DatabaseProblem`."""
    try:
        yield
    except (exc.OperationalError, exc.DatabaseError, sqlite3.OperationalError, sqlite3.DatabaseError) as error:
        if isinstance(error, exc.IntegrityError):
            raise
        message = describe(error)
        if message is None:
            raise
        raise DatabaseProblem(message, str(error)) from error
