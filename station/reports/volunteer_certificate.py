"""志愿服务时长证明: a personal certificate of one resident's volunteer hours, with its activities, to be stamped.

Unlike the notices it is not public: the full name is printed. The person's
phone and ID number are never printed (they are not read, and the document
refuses to be written should one turn up in an activity's title).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from sqlalchemy.orm import Session

from db.models import Resident
from station import volunteer
from station.errors import NotFound, ValidationError
from station.reports.pdf import NoticeDocument, WrittenPdf, chinese_date, formal_date
from station.validation import clean, parse_date

TITLE = "志愿服务时长证明"
PERIOD_FORMAT = "按年：2026，或日期范围：2026-01-01..2026-06-30"
NOTHING_TO_CERTIFY = "这段时间内没有志愿服务记录，无法开具证明"

_YEAR = re.compile(r"(\d{4})年?")
_RANGE = re.compile(r"(.+?)\s*(?:\.\.|至|~|～|—+|--)\s*(.+)")
_BAD_PERIOD = {"period": "期间格式不对：按年填 2026，或填日期范围 2026-01-01..2026-06-30"}


# ------------------------------------------------------------------ the period


def parse_period(text: str) -> str:
    """A year ("2026", "2026年") or a date range ("2026-01-01..2026-06-30", "2026.1.1至2026.6.30") in standard form.

    Returns:
        "2026" or "2026-01-01..2026-06-30".

    Raises:
        ValidationError: malformed, a date that does not exist, or a range that ends before it starts.
    """
    value = clean(text)
    year = _YEAR.fullmatch(value)
    if year:
        if not 1990 <= int(year.group(1)) <= 2100:
            raise ValidationError({"period": "年份不对"})
        return year.group(1)
    found = _RANGE.fullmatch(value)
    if not found:
        raise ValidationError(_BAD_PERIOD)
    try:
        first, last = (parse_date(part, allow_future=True) for part in found.groups())
    except ValueError as problem:
        raise ValidationError({"period": f"期间的日期不对：{problem}"}) from None
    if last < first:
        raise ValidationError({"period": "结束日期不能早于开始日期"})
    return f"{first.isoformat()}..{last.isoformat()}"


def period_bounds(period: str) -> tuple[dt.date, dt.date]:
    """First and last day of a period such as "2026" or "2026-01-01..2026-06-30"."""
    period = parse_period(period)
    if ".." not in period:
        return dt.date(int(period), 1, 1), dt.date(int(period), 12, 31)
    first, last = period.split("..")
    return dt.date.fromisoformat(first), dt.date.fromisoformat(last)


def period_for_file(period: str) -> str:
    """The period as part of a file name: "2026" or "2026-01-01至2026-06-30"."""
    return parse_period(period).replace("..", "至")


# ------------------------------------------------------------------ wording


def certificate_number(resident_id: int, year: int) -> str:
    """志证〔2026〕第0012号: from the issue year and the resident, the same however often it is printed."""
    return f"志证〔{year}〕第{resident_id:04d}号"


def statement(cert: volunteer.Certificate) -> str:
    """The certifying sentence: who, where, when, how many activities and hours."""
    about = []
    if cert.party_category:
        about.append(f"系{cert.party_category}")
    if cert.teams:
        about.append(f"{'系' if not about else ''}{'、'.join(cert.teams)}队员")
    who = f"{cert.name}（{cert.gender}）同志，" + "".join(f"{part}，" for part in about)
    return (f"兹证明{who}住本小区{cert.address}，于{chinese_date(cert.first)}至{chinese_date(cert.last)}期间，"
            f"参加本站组织的志愿服务活动{len(cert.lines)}次，累计服务时长{volunteer.hours_text(cert.minutes)}小时。")


def _styles(document: NoticeDocument) -> None:
    """The certificate's own paragraph styles: a large title and a roomy statement."""
    font = document.font.name
    base = document.styles["plain"]
    document.styles.update({
        "cert-title": ParagraphStyle("cert-title", parent=base, fontSize=24, leading=32, alignment=TA_CENTER,
                                     spaceBefore=10, spaceAfter=4, fontName=font),
        "cert-number": ParagraphStyle("cert-number", parent=base, fontSize=10.5, leading=15, alignment=TA_RIGHT,
                                      spaceAfter=14, fontName=font),
        "statement": ParagraphStyle("statement", parent=base, fontSize=13.5, leading=27, firstLineIndent=27,
                                    spaceAfter=2, fontName=font),
        "cert-heading": ParagraphStyle("cert-heading", parent=base, fontSize=11.5, leading=17, spaceBefore=12,
                                       spaceAfter=6, fontName=font),
    })


# ------------------------------------------------------------------ the PDF


def certificate_pdf(session: Session, resident_id: int, first: dt.date, last: dt.date, out: Path,
                    today: dt.date) -> WrittenPdf:
    """Write the 志愿服务时长证明 of one resident for ``first``..``last``, issued ``today``.

    The period ends no later than ``today``: a certificate speaks of service done.

    Raises:
        NotFound: no such resident.
        ValidationError: the period ends before it starts or starts after ``today``, no service in it,
            or the file could not be written.
    """
    resident = session.get(Resident, resident_id)
    if resident is None:
        raise NotFound("找不到这位居民")
    if last < first:
        raise ValidationError({"period": "结束日期不能早于开始日期"})
    if first > today:
        raise ValidationError({"period": f"这段时间从{chinese_date(first)}开始，还没有到，无法开具证明"})
    cert = volunteer.certificate(session, resident_id, first, min(last, today))
    if not cert.lines:
        raise ValidationError(NOTHING_TO_CERTIFY)
    number = certificate_number(resident_id, today.year)
    document = NoticeDocument(session, TITLE, number, public=False)
    document.withhold("手机号码", resident.phone)
    document.withhold("身份证号码", resident.id_number)
    _styles(document)
    document.spacer(6)
    document.paragraph(TITLE, "cert-title")
    document.paragraph(number, "cert-number")
    document.paragraph(statement(cert), "statement")
    document.paragraph("特此证明。", "statement")
    document.paragraph("附：志愿服务活动明细", "cert-heading")
    document.table(
        ("序号", "日期", "活动", "类别", "时长（小时）"),
        [(str(index), chinese_date(line.day), line.title, line.kind, volunteer.hours_text(line.minutes))
         for index, line in enumerate(cert.lines, 1)],
        widths=(0.55, 1.35, 3.1, 1.05, 1.0),
        align=("CENTER", "CENTER", "LEFT", "CENTER", "CENTER"),
        wrap=(2,),
        total=("合计", "", f"共{len(cert.lines)}次", "", volunteer.hours_text(cert.minutes)),
        total_span=2,
    )
    document.paragraph("注：服务时长以本站志愿服务签到、补录记录为准；本证明加盖公章后有效。", "note")
    document.spacer(16)
    document.seal_block(document.station, formal_date(today))
    return document.write(out, people=1)
