"""Shared building blocks of the printed notices and certificates: Chinese font, page frame, tables, privacy guards, seal block, safe writing."""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import functools
import logging
import os
import re
import secrets
import sys
import time
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)
from sqlalchemy.orm import Session

from station import APP_TITLE, onboarding, settings
from station.errors import ValidationError

log = logging.getLogger(__name__)

# ------------------------------------------------------------------ the Chinese font

FONT_NAME = "StationCJK"
CID_FONT = "STSong-Light"
_PROBE = "公示户积分"  # glyphs a usable font must have

WINDOWS_FONTS = ("simhei.ttf", "msyh.ttc", "simsun.ttc")
LINUX_FONTS = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/wqy-microhei/wqy-microhei.ttc",
    "/usr/share/fonts/wqy-zenhei/wqy-zenhei.ttc",
)
# TrueType-outline files only: Noto Sans CJK .ttc/.otf (CFF outlines) and PingFang are refused by reportlab.
LINUX_FONT_PATTERNS = ("/usr/share/fonts/**/Noto*CJK*.ttf", "/usr/share/fonts/**/NotoSansSC*.ttf")
MAC_FONTS = ("/Library/Fonts/Arial Unicode.ttf", "/System/Library/Fonts/Supplemental/Arial Unicode.ttf")


@dataclass(frozen=True)
class FontChoice:
    """The font the notices are set in.

    Attributes:
        name: the name registered with reportlab.
        path: the font file; "" for the built-in CID font.
        embedded: whether the PDF carries the font (a CID font is left to the viewer).
    """

    name: str
    path: str
    embedded: bool


def bundled_fonts_dir() -> Path | None:
    """``resources/fonts`` when it is a real folder (it is, installed or frozen)."""
    folder = resources.files("resources").joinpath("fonts")
    return folder if isinstance(folder, Path) and folder.is_dir() else None


def font_candidates() -> list[Path]:
    """Font files to try, best first: bundled, then the system's."""
    found: list[Path] = []
    bundled = bundled_fonts_dir()
    if bundled is not None:
        found += sorted(p for p in bundled.iterdir() if p.suffix.lower() in (".ttf", ".ttc"))
    if sys.platform == "win32":
        fonts = Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts"
        found += [fonts / name for name in WINDOWS_FONTS]
    elif sys.platform == "darwin":
        found += [Path(name) for name in MAC_FONTS]
    else:
        found += [Path(name) for name in LINUX_FONTS]
        for pattern in LINUX_FONT_PATTERNS:
            found += sorted(Path("/").glob(pattern.lstrip("/")))
    return found


def _load_ttf(path: Path) -> TTFont | None:
    """The font in ``path`` if reportlab reads it and it has Chinese glyphs; else None."""
    try:
        font = TTFont(FONT_NAME, str(path), subfontIndex=0)
    except Exception as problem:  # reportlab raises TTFError, struct and OS errors alike
        log.info("font %s not usable: %s", path, problem)
        return None
    if not all(ord(char) in font.face.charToGlyph for char in _PROBE):
        log.info("font %s has no Chinese glyphs", path)
        return None
    return font


@functools.cache
def chinese_font() -> FontChoice:
    """Find, register and remember the font for Chinese text.

    A TrueType font is embedded (as a subset); when none is found the PDF names
    the standard STSong-Light and the viewer substitutes its own.
    """
    for path in font_candidates():
        if not path.is_file():
            continue
        font = _load_ttf(path)
        if font is not None:
            pdfmetrics.registerFont(font)
            log.info("notices use the font %s", path)
            return FontChoice(FONT_NAME, str(path), True)
    pdfmetrics.registerFont(UnicodeCIDFont(CID_FONT))
    log.warning("no Chinese TrueType font found; notices use %s, not embedded", CID_FONT)
    return FontChoice(CID_FONT, "", False)


# ------------------------------------------------------------------ wording


def chinese_date(day: dt.date) -> str:
    """2026-12-01 -> 2026年12月1日."""
    return f"{day.year}年{day.month}月{day.day}日"


_DIGITS = "〇一二三四五六七八九"


def _chinese_number(number: int) -> str:
    """1..31 in words as dates write them: 10 -> 十, 22 -> 二十二."""
    tens, ones = divmod(number, 10)
    return ("" if tens == 0 else "十" if tens == 1 else _DIGITS[tens] + "十") + (_DIGITS[ones] if ones else "")


def formal_date(day: dt.date) -> str:
    """2026-11-22 -> 二〇二六年十一月二十二日, as certificates are dated."""
    year = "".join(_DIGITS[int(digit)] for digit in str(day.year))
    return f"{year}年{_chinese_number(day.month)}月{_chinese_number(day.day)}日"


def objection_period(session: Session, today: dt.date) -> tuple[dt.date, dt.date]:
    """First and last day of a notice's objection period (公示期), starting ``today``."""
    days = int(settings.get(session, settings.OBJECTION_DAYS))
    return today, today + dt.timedelta(days=days - 1)


def objection_line(session: Session, today: dt.date, contact: str = "服务站积分审核小组") -> str:
    """公示期：2026年12月1日至2026年12月7日。如有异议，请于公示期内向服务站积分审核小组反映。"""
    first, last = objection_period(session, today)
    return f"公示期：{chinese_date(first)}至{chinese_date(last)}。如有异议，请于公示期内向{contact}反映。"


# ------------------------------------------------------------------ the privacy guard

_MOBILE = re.compile(r"(?<!\d)1[3-9]\d(?:[- ]?\d{4}){2}(?!\d)")
_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])(?:\d{17}[0-9Xx]|\d{15})(?![0-9A-Za-z])")


class PrivateDataInNotice(ValidationError):
    """A document was about to print a phone or ID number it must not show: stopped before writing."""


def check_public_text(texts: Iterable[str]) -> None:
    """Refuse text for a public notice that holds a mobile number or an ID number.

    Raises:
        PrivateDataInNotice: naming which kind was found (never the number itself).
    """
    for text in texts:
        text = unicodedata.normalize("NFKC", text)
        kind = "手机号码" if _MOBILE.search(text) else "身份证号码" if _ID_NUMBER.search(text) else ""
        if kind:
            raise PrivateDataInNotice(
                f"公示内容中出现了{kind}，为保护居民隐私已停止生成。请检查议题、决议、问题或说明等处是否写了号码，"
                "删去后再打印。")


def _digits_joined(text: str) -> str:
    """Text with the spaces and dashes inside numbers taken out: "138-1234 5678" -> "13812345678"."""
    return re.sub(r"(?<=\d)[\s\-]+(?=\d)", "", unicodedata.normalize("NFKC", text)).upper()


def check_withheld_values(title: str, texts: Iterable[str], withheld: Sequence[tuple[str, str]]) -> None:
    """Refuse text that holds one of the given numbers (a person's own phone or ID number), however spaced.

    Args:
        title: the document's title, for the message.
        texts: everything the document prints.
        withheld: (kind, value) pairs, e.g. ("手机号码", "13812345678"); values under 7 characters are ignored.

    Raises:
        PrivateDataInNotice: naming the kind found (never the number itself).
    """
    wanted = [(kind, _digits_joined(value)) for kind, value in withheld if len(_digits_joined(value)) >= 7]
    if not wanted:
        return
    for text in texts:
        joined = _digits_joined(text)
        for kind, value in wanted:
            if value in joined:
                raise PrivateDataInNotice(
                    f"{title}中出现了居民的{kind}，为保护隐私已停止生成。请检查活动名称等内容中是否写了号码。")


# ------------------------------------------------------------------ the page frame

PAGE_MARGIN = 18 * mm
TOP_MARGIN = 24 * mm
BOTTOM_MARGIN = 20 * mm
SHADE = colors.HexColor("#EDEDED")
HEADER_SHADE = colors.HexColor("#D6D6D6")


@dataclass
class _Frame:
    """What every page shows around the content, and what the canvas learns while writing."""

    station: str
    title: str
    period: str
    printed_at: dt.datetime
    font: str
    pages: int = 0


class _Section(Flowable):  # type: ignore[misc]
    """An invisible mark: the page header names the section (e.g. a building) from here on."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        self.canv.station_section = self.text


class _NoticeCanvas(Canvas):  # type: ignore[misc]
    """A canvas that holds its pages back until the end, then draws header and footer with the page total."""

    def __init__(self, *args: Any, frame: _Frame, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.station_frame = frame
        self.station_section = ""
        self.station_pages: list[dict[str, Any]] = []

    def showPage(self) -> None:  # noqa: N802 - reportlab's name
        self.station_pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self.station_pages)
        self.station_frame.pages = total
        for number, state in enumerate(self.station_pages, 1):
            self.__dict__.update(state)
            self._draw_frame(number, total)
            super().showPage()
        super().save()

    def _draw_frame(self, number: int, total: int) -> None:
        frame = self.station_frame
        width, height = self._pagesize
        left, right = PAGE_MARGIN, width - PAGE_MARGIN
        self.saveState()
        self.setFillColor(colors.black)
        self.setStrokeColor(colors.black)
        top = height - 13 * mm
        label = "　".join(part for part in (frame.title, frame.period, self.station_section) if part)
        self.setFont(frame.font, 9.5)
        self.drawRightString(right, top, label)
        room = right - left - pdfmetrics.stringWidth(label, frame.font, 9.5) - 8 * mm
        station, size = frame.station, 9.5
        while pdfmetrics.stringWidth(station, frame.font, size) > room and size > 7:
            size -= 0.5
        while pdfmetrics.stringWidth(station, frame.font, size) > room and len(station) > 1:
            station = station[:-2] + "…"
        self.setFont(frame.font, size)
        self.drawString(left, top, station)
        self.setLineWidth(0.6)
        self.line(left, top - 2.5 * mm, right, top - 2.5 * mm)
        bottom = 11 * mm
        self.setLineWidth(0.3)
        self.line(left, bottom + 4 * mm, right, bottom + 4 * mm)
        self.setFont(frame.font, 9)
        self.drawCentredString(width / 2, bottom, f"第 {number} 页 / 共 {total} 页")
        self.setFont(frame.font, 7.5)
        self.drawString(left, bottom, f"打印时间：{frame.printed_at:%Y-%m-%d %H:%M}")
        self.restoreState()


class SealBlock(Flowable):  # type: ignore[misc]
    """Issuer and date at the bottom right over a dashed round 盖章处 where the station stamps; 经办人 at the left.

    The seal goes over the issuer's name and the date, as stamps in China do.
    """

    SEAL_TEXT = "盖章处"
    HANDLER_TEXT = "经办人："
    RADIUS = 20 * mm  # a station's round seal is 38-42 mm across
    SIZE = 13.0

    def __init__(self, issuer: str, date_text: str, font: str, handled_by: bool = True) -> None:
        super().__init__()
        self.issuer = issuer
        self.date_text = date_text
        self.font = font
        self.handled_by = handled_by
        self.width = 0.0
        self.height = 2 * self.RADIUS + 14 * mm

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = available_width
        return available_width, self.height

    def _issuer_size(self) -> float:
        size = self.SIZE
        while pdfmetrics.stringWidth(self.issuer, self.font, size) > self.width * 0.55 and size > 9:
            size -= 0.5
        return size

    def draw(self) -> None:
        canvas = self.canv
        size = self._issuer_size()
        half = max(pdfmetrics.stringWidth(self.issuer, self.font, size),
                   pdfmetrics.stringWidth(self.date_text, self.font, self.SIZE)) / 2
        centre_x = self.width - max(self.RADIUS + 6 * mm, half + 2 * mm)
        centre_y = 7 * mm + self.RADIUS
        issuer_y, date_y = centre_y - 3 * mm, centre_y - 12 * mm
        canvas.saveState()
        canvas.setStrokeColor(colors.HexColor("#9A9A9A"))
        canvas.setFillColor(colors.HexColor("#9A9A9A"))
        canvas.setLineWidth(0.8)
        canvas.setDash(3, 2.5)
        canvas.circle(centre_x, centre_y, self.RADIUS, stroke=1, fill=0)
        canvas.setFont(self.font, 10.5)
        canvas.drawCentredString(centre_x, centre_y + self.RADIUS * 0.45, self.SEAL_TEXT)
        canvas.setFillColor(colors.black)
        canvas.setFont(self.font, size)
        canvas.drawCentredString(centre_x, issuer_y, self.issuer)
        canvas.setFont(self.font, self.SIZE)
        canvas.drawCentredString(centre_x, date_y, self.date_text)
        if self.handled_by:
            canvas.drawString(0, date_y, self.HANDLER_TEXT)
            start = pdfmetrics.stringWidth(self.HANDLER_TEXT, self.font, self.SIZE)
            canvas.setStrokeColor(colors.black)
            canvas.setDash()
            canvas.setLineWidth(0.6)
            canvas.line(start + 1 * mm, date_y - 1.5, start + 38 * mm, date_y - 1.5)
        canvas.restoreState()


class SignatureLines(Flowable):  # type: ignore[misc]
    """Rows of "label ____________" to sign by hand, the labels of a row spread evenly across the width.

    Example: ``SignatureLines([("兑换人签字：", "经办人：")], font)``.
    """

    SIZE = 11.5
    ROW = 12 * mm
    LINE = 36 * mm

    def __init__(self, rows: Sequence[Sequence[str]], font: str) -> None:
        super().__init__()
        self.rows = [list(row) for row in rows]
        self.font = font
        self.width = 0.0
        self.height = len(self.rows) * self.ROW

    @property
    def texts(self) -> list[str]:
        return [label for row in self.rows for label in row]

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = available_width
        return available_width, self.height

    def draw(self) -> None:
        canvas = self.canv
        canvas.saveState()
        canvas.setFillColor(colors.black)
        canvas.setStrokeColor(colors.black)
        canvas.setLineWidth(0.6)
        canvas.setFont(self.font, self.SIZE)
        for index, row in enumerate(self.rows):
            y = self.height - (index + 1) * self.ROW + 3 * mm
            column = self.width / max(len(row), 1)
            for number, label in enumerate(row):
                if not label:  # an empty place keeps the columns of the row above
                    continue
                x = number * column
                canvas.drawString(x, y, label)
                start = x + pdfmetrics.stringWidth(label, self.font, self.SIZE) + 1 * mm
                end = min(start + self.LINE, x + column - 5 * mm)
                if end > start + 10 * mm:
                    canvas.line(start, y - 1.5, end, y - 1.5)
        canvas.restoreState()


class _KeepEndWithTable(Flowable):  # type: ignore[misc]
    """A table and what ends the document after it (a note, the seal block), which never stands alone on a page.

    When the end does not fit below the table, the table leaves its last rows
    (at least ``keep_rows``, the total row counted) for the next page, so the
    seal comes after some of the content it certifies.
    """

    def __init__(self, table: Table, end: Sequence[Flowable], keep_rows: int = 3) -> None:
        super().__init__()
        self.table = table
        self.end = list(end)
        self.keep_rows = keep_rows

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        # Never drawn itself: claiming more than the room left makes the frame ask for a split.
        return available_width, available_height + 1

    def _end_height(self, width: float, height: float) -> float:
        return float(sum(part.wrap(width, height)[1] + part.getSpaceBefore() + part.getSpaceAfter()
                         for part in self.end))

    def _postpone(self) -> list[Flowable]:
        """Try the next page; if this is already the next page, give up keeping the end with the table."""
        return [self.table, *self.end] if getattr(self, "_postponed", False) else []

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        table_height = self.table.wrap(available_width, available_height)[1]
        if table_height + self._end_height(available_width, available_height) <= available_height:
            return [self.table, *self.end]
        heights: list[float] = self.table._rowHeights  # measured by wrap
        fitting, used = 0, 0.0
        for height in heights:
            if used + height > available_height:
                break
            fitting, used = fitting + 1, used + height
        rows_here = min(fitting, len(heights) - self.keep_rows)  # the last rows always go on with the end
        if rows_here < 2:  # nothing but the header would be left here
            return self._postpone()
        parts = self.table.split(available_width, sum(heights[:rows_here]) + 0.5)
        if len(parts) != 2:
            return self._postpone()
        return [parts[0], _KeepEndWithTable(parts[1], self.end, self.keep_rows)]


@dataclass(frozen=True)
class WrittenPdf:
    """A notice written to disk; ``people`` is how many persons it names (0 when it names nobody or
    the builder does not count them)."""

    path: Path
    pages: int
    seconds: float
    people: int = 0


def _styles(font: str) -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("body", fontName=font, fontSize=10.5, leading=16, wordWrap="CJK",
                          textColor=colors.black)
    return {
        "body": ParagraphStyle("body-indent", parent=base, firstLineIndent=21, spaceAfter=4),
        "plain": ParagraphStyle("plain", parent=base, spaceAfter=4),
        "title": ParagraphStyle("title", parent=base, fontSize=19, leading=26, alignment=TA_CENTER,
                                spaceAfter=2),
        "subtitle": ParagraphStyle("subtitle", parent=base, fontSize=11, leading=16, alignment=TA_CENTER,
                                   spaceAfter=8),
        "heading": ParagraphStyle("heading", parent=base, fontSize=12.5, leading=18, spaceBefore=8,
                                  spaceAfter=5),
        "note": ParagraphStyle("note", parent=base, fontSize=9, leading=13, spaceBefore=3, spaceAfter=3),
        "warning": ParagraphStyle("warning", parent=base, fontSize=11, leading=16, alignment=TA_CENTER,
                                  borderWidth=0.8, borderColor=colors.black, borderPadding=(4, 6, 4, 6),
                                  backColor=SHADE, spaceBefore=4, spaceAfter=10),
        "sign": ParagraphStyle("sign", parent=base, alignment=TA_RIGHT, spaceBefore=10, leading=18),
        "cell": ParagraphStyle("cell", parent=base, fontSize=10, leading=13, alignment=TA_LEFT),
    }


def grid_commands(font: str, header_rows: int = 1) -> list[tuple[Any, ...]]:
    """The table style of every document: a grid, shaded header rows, every other row lightly shaded."""
    return [
        ("FONT", (0, 0), (-1, -1), font, 10.5, 14),
        ("TEXTCOLOR", (0, 0), (-1, -1), colors.black),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("BOX", (0, 0), (-1, -1), 0.9, colors.black),
        ("BACKGROUND", (0, 0), (-1, header_rows - 1), HEADER_SHADE),
        ("ROWBACKGROUNDS", (0, header_rows), (-1, -1), [colors.white, SHADE]),
        ("ALIGN", (0, 0), (-1, -1), "CENTER"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3.5),
    ]


class NoticeDocument:
    """A printable A4 notice or certificate: build it from titles, paragraphs and tables, then write it once.

    Every text goes through the helpers, so a public notice can be checked for
    phone and ID numbers before anything is written, and a personal document
    for the numbers given to ``withhold``.

    Args:
        session: to read the station's name.
        title: the document's title, also in every page header.
        period: shown after the title in the page header ("" for none).
        public: a notice for the notice board: no phone or ID number at all may be printed.
        wide: landscape pages.
    """

    def __init__(self, session: Session, title: str, period: str, *, public: bool,
                 wide: bool = False) -> None:
        details = onboarding.details(session)
        self.station = details.name if details is not None else "党群服务站"
        self.title_text = title
        self.period = period
        self.public = public
        self.pagesize = landscape(A4) if wide else A4
        self.font = chinese_font()
        self.styles = _styles(self.font.name)
        self.story: list[Flowable] = []
        self.texts: list[str] = [self.station, title, period]
        self.withheld: list[tuple[str, str]] = []

    @property
    def width(self) -> float:
        """Width of the writing area in points."""
        return float(self.pagesize[0] - 2 * PAGE_MARGIN)

    def withhold(self, kind: str, value: str | None) -> None:
        """Refuse to write the document if ``value`` (e.g. the person's phone) appears anywhere in it."""
        if value:
            self.withheld.append((kind, value))

    def _text(self, text: str) -> str:
        self.texts.append(text)
        return escape(text).replace("\n", "<br/>")

    def paragraph(self, text: str, style: str = "body") -> None:
        """A paragraph in one of the styles: body, plain, note, warning, heading, sign."""
        self.story.append(Paragraph(self._text(text), self.styles[style]))

    def title(self, text: str, subtitle: str = "") -> None:
        self.paragraph(text, "title")
        if subtitle:
            self.paragraph(subtitle, "subtitle")
        else:
            self.story.append(Spacer(1, 6))

    def warning(self, text: str) -> None:
        """A boxed, shaded line nobody can miss."""
        self.paragraph(text, "warning")

    def heading(self, text: str, min_space: float = 55 * mm) -> None:
        """A section heading; starts a new page when less than ``min_space`` is left for what follows."""
        self.story.append(CondPageBreak(min_space))
        self.paragraph(text, "heading")

    def section(self, text: str, new_page: bool = False) -> None:
        """Name the section in the page header from here on (e.g. one building per page set)."""
        if new_page:
            self.story.append(PageBreak())
        self.texts.append(text)
        self.story.append(_Section(text))

    def signature(self, *lines: str) -> None:
        """Who issues the notice and when, at the right."""
        self.paragraph("\n".join(lines), "sign")

    def spacer(self, height: float) -> None:
        self.story.append(Spacer(1, height))

    def add(self, flowable: Flowable, texts: Iterable[str] = ()) -> None:
        """Any reportlab flowable; ``texts`` are what it prints, for the privacy checks."""
        self.texts.extend(texts)
        self.story.append(flowable)

    def fields(self, rows: Sequence[Sequence[str]], widths: Sequence[float]) -> Table:
        """A grid of label/value pairs (labels shaded), e.g. 兑换人 | 张三明 | 住址 | 3栋2单元501."""
        scale = self.width / sum(widths)
        style = self.styles["cell"]
        cells = [[Paragraph(escape(text), style) if index % 2 else text for index, text in enumerate(row)]
                 for row in rows]
        commands: list[tuple[Any, ...]] = [
            ("FONT", (0, 0), (-1, -1), self.font.name, 10.5, 14),
            ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
            ("BOX", (0, 0), (-1, -1), 0.9, colors.black),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("TOPPADDING", (0, 0), (-1, -1), 3.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 4.5),
        ]
        for column in range(0, len(widths), 2):
            commands += [("BACKGROUND", (column, 0), (column, -1), HEADER_SHADE),
                         ("ALIGN", (column, 0), (column, -1), "CENTER")]
        table = Table(cells, colWidths=[w * scale for w in widths], style=TableStyle(commands), hAlign="CENTER")
        self.add(table, [text for row in rows for text in row])
        return table

    def seal_block(self, issuer: str, date_text: str, handled_by: bool = True) -> None:
        """The end of a certificate: issuer and date at the bottom right over a round 盖章处, 经办人 at the left.

        It never stands alone on a page: the last rows of the table before it
        (or the last paragraph, without a table) go to the next page with it.
        """
        texts = [issuer, date_text, SealBlock.SEAL_TEXT] + ([SealBlock.HANDLER_TEXT] if handled_by else [])
        self.add(SealBlock(issuer, date_text, self.font.name, handled_by), texts)
        self._keep_end_with_last_table()

    def signature_lines(self, *rows: Sequence[str]) -> None:
        """The end of a slip or statement: rows of "label ________" to sign by hand.

        Like the seal block, it never stands alone on a page: the last rows of the
        table before it go to the next page with it.
        """
        lines = SignatureLines(rows, self.font.name)
        self.add(lines, lines.texts)
        self._keep_end_with_last_table()

    # At most this many flowables (a note, a spacer, the end itself) may stand between a table and the end
    # for the end to travel with the table's last rows; a longer text after a table (a grid of fields at the
    # top of a record) keeps only its last paragraph with the end, or the whole text would leave the page.
    _END_AFTER_TABLE = 4

    def _keep_end_with_last_table(self) -> None:
        """Bind the end to the last rows of the table just before it, or to the last paragraph and what follows."""
        tables = [index for index, item in enumerate(self.story) if isinstance(item, Table)]
        if tables and len(self.story) - tables[-1] - 1 <= self._END_AFTER_TABLE:
            self.story[tables[-1]:] = [_KeepEndWithTable(self.story[tables[-1]], self.story[tables[-1] + 1:])]
        elif len(self.story) > 1:
            tail = 3 if len(self.story) > 2 and isinstance(self.story[-2], Spacer) else 2
            self.story[-tail:] = [KeepTogether(self.story[-tail:])]

    def table(self, header: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[float],
              align: Sequence[str] | None = None, wrap: Sequence[int] = (),
              total: Sequence[str] | None = None, total_span: int = 1) -> None:
        """A table with a header row repeated on every page, a grid and light shading on every other row.

        Args:
            header: the column titles.
            rows: the cells as text.
            widths: relative column widths, spread over the page width.
            align: "LEFT", "CENTER" or "RIGHT" per column (default all centred).
            wrap: columns whose text may wrap onto more lines.
            total: a last row (合计), shaded like the header and framed above.
            total_span: how many of the total row's first cells are merged for its label.
        """
        scale = self.width / sum(widths)
        col_widths = [w * scale for w in widths]
        cells: list[list[Any]] = [list(header)]
        self.texts.extend(header)
        for row in rows:
            self.texts.extend(row)
            cells.append([Paragraph(escape(text), self.styles["cell"]) if index in wrap else text
                          for index, text in enumerate(row)])
        if total is not None:
            self.texts.extend(total)
            cells.append(list(total))
        commands = grid_commands(self.font.name)
        for index, where in enumerate(align or ()):
            commands.append(("ALIGN", (index, 1), (index, -1), where))
        if total is not None:
            commands += [("BACKGROUND", (0, -1), (-1, -1), HEADER_SHADE),
                         ("LINEABOVE", (0, -1), (-1, -1), 0.9, colors.black),
                         ("ALIGN", (0, -1), (total_span - 1, -1), "CENTER")]
            if total_span > 1:
                commands.append(("SPAN", (0, -1), (total_span - 1, -1)))
        table = Table(cells, colWidths=col_widths, repeatRows=1, style=TableStyle(commands), hAlign="CENTER")
        self.story.append(table)

    def write(self, out: Path, people: int = 0) -> WrittenPdf:
        """Write the notice to ``out`` safely: into a temporary file beside it, then moved into place.

        ``people`` is how many persons the document names, for the 操作记录 of its print.

        Raises:
            PrivateDataInNotice: a public notice holds a phone or ID number.
            ValidationError: the file could not be written (nothing is left behind).
        """
        if self.public:
            check_public_text(self.texts)
        check_withheld_values(self.title_text, self.texts, self.withheld)
        started = time.perf_counter()
        out = Path(out)
        frame = _Frame(self.station, self.title_text, self.period, dt.datetime.now(), self.font.name)
        temp: Path | None = None
        try:
            temp = out.parent / f".~{out.stem}-{secrets.token_hex(4)}.pdf.part"
            with open(temp, "xb") as handle:  # made with the user's usual permissions, unlike mkstemp
                document = SimpleDocTemplate(
                    handle, pagesize=self.pagesize, leftMargin=PAGE_MARGIN, rightMargin=PAGE_MARGIN,
                    topMargin=TOP_MARGIN, bottomMargin=BOTTOM_MARGIN,
                    title=" ".join(part for part in (self.title_text, self.period) if part),
                    author=self.station, subject=self.title_text, creator=APP_TITLE, lang="zh-CN",
                    initialFontName=self.font.name, initialFontSize=10.5,
                )
                document.build(self.story, canvasmaker=functools.partial(_NoticeCanvas, frame=frame))
            os.replace(temp, out)
        except OSError as problem:
            raise ValidationError(save_problem(problem, out)) from problem
        finally:
            if temp is not None:
                with contextlib.suppress(OSError):
                    temp.unlink(missing_ok=True)
        return WrittenPdf(out, frame.pages, time.perf_counter() - started, people)


def save_problem(problem: OSError, out: Path) -> str:
    """The Chinese message for a PDF that could not be saved."""
    if isinstance(problem, FileNotFoundError) or problem.errno == errno.ENOENT:
        return f"无法保存PDF：文件夹不存在（{out.parent}）。"
    if isinstance(problem, IsADirectoryError) or out.is_dir():
        return f"无法保存PDF：{out} 是一个文件夹，请换一个文件名。"
    if problem.errno == errno.ENOSPC:
        return "无法保存PDF：磁盘已满，请清理磁盘或换一个位置保存。"
    if isinstance(problem, PermissionError):
        return "无法保存PDF：文件可能正在被其他程序打开（请先关闭PDF阅读器），或没有写入这个文件夹的权限。"
    return "无法保存PDF：文件可能正在被其他程序打开，或磁盘已满。"
