"""The discussion meeting's prints: the results notice, the minutes for the archive, the sign-in sheet.

- 议事结果公示 (results notice): public (公开晒事): each matter, its resolution, the vote
  result, who carries it out and by when; whoever raised it is masked (张*明); no phone or ID
  number is printed.
- 议事会议记录 (minutes): internal, for the archive: the meeting, everyone present by full name,
  each matter with who raised it, what was said, the decision and the vote (with the rooms of a
  household vote).
- 签到表 (sign-in sheet): internal, to be signed on paper at the door: the people already
  registered and blank lines for the rest.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Meeting, Resident
from station import meetings
from station.errors import ValidationError
from station.meetings import AgendaRow, MeetingRow
from station.reports.pdf import NoticeDocument, WrittenPdf, chinese_date, objection_line
from station.validation import mask_name

NOTICE_TITLE = "议事结果公示"
MINUTES_TITLE = "议事会议记录"
SIGN_IN_TITLE = "议事会议签到表"
SIGN_IN_LINES = 24  # lines on the sheet at the least, for those who come without being registered


def _meeting_line(row: MeetingRow) -> str:
    place = f"在{row.place}" if row.place else ""
    host = f"，{row.host}主持" if row.host else ""
    return f"{chinese_date(row.held_at.date())} {row.held_at:%H:%M}{place}召开{row.kind}{host}"


def _deadline(row: AgendaRow) -> str:
    decision = row.decision
    return chinese_date(decision.deadline) if decision and decision.deadline else "—"


def _progress(row: AgendaRow) -> str:
    """办理情况 (公开晒事): 已办结 with how it was settled, 办理中 (逾期 when late), or — for a matter not passed."""
    matter, decision = row.matter, row.decision
    if matter.state == meetings.DONE:
        return f"已办结：{matter.result}" if matter.result else "已办结"
    if decision is None or not decision.passed:
        return "—"
    if matter.state == meetings.IN_HAND:
        return "办理中（已超过完成时限）" if matter.overdue else "办理中"
    return matter.state


def _resident_names(session: Session) -> list[str]:
    """Every resident's name of two characters or more, the longest first (so 欧阳小明 goes before 欧阳)."""
    return sorted({name for name in session.scalars(select(Resident.name).distinct()) if len(name) >= 2},
                  key=len, reverse=True)


def _mask_residents(text: str, names: list[str]) -> str:
    """Typed text for the notice board with every resident's name in it masked: "王建国家漏水" -> "王*国家漏水"."""
    for name in names:
        if name in text:
            text = text.replace(name, mask_name(name))
    return text


def _known(session: Session, meeting_id: int, today: dt.date) -> tuple[MeetingRow, list[AgendaRow]]:
    row = meetings.meeting(session, meeting_id)
    return row, meetings.agenda(session, meeting_id, today=today)


def results_notice(session: Session, meeting_id: int, out: Path, today: dt.date) -> WrittenPdf:
    """议事结果公示 of one meeting (公开晒事), masked for the notice board.

    Raises:
        NotFound: no such meeting.
        ValidationError: the meeting was cancelled or has decided nothing yet, or the file could not be written.
    """
    row, items = _known(session, meeting_id, today)
    if row.cancelled:
        raise ValidationError("这次会议已经取消，没有议事结果可公示")
    decided = [item for item in items if item.decision is not None]
    if not decided:
        raise ValidationError("这次会议还没有形成决议：请先在“表决与决议”中记录，再公示")
    document = NoticeDocument(session, NOTICE_TITLE, row.label, public=True, wide=True)
    for resident_id in {item.matter.raiser_id for item in items}:
        person = session.get(Resident, resident_id)
        if person is not None:
            document.withhold("手机号码", person.phone)
            document.withhold("身份证号码", person.id_number)
    names = _resident_names(session)

    def masked(text: str) -> str:
        return _mask_residents(text, names)

    document.title(NOTICE_TITLE, f"{masked(row.title)}（{chinese_date(row.held_at.date())}）")
    passed = sum(1 for item in decided if item.decision is not None and item.decision.passed)
    document.paragraph(
        f"{masked(_meeting_line(row))}，到会{row.people}人，对{len(items)}个议题进行了协商议事，"
        f"形成决议{passed}项。按照“每月一会、每事必议、每议必果、每果必行”的要求，现将议事结果公示如下：")
    document.table(
        ("序号", "议题", "提出", "层级", "决议", "表决结果", "责任方", "完成时限", "办理情况"),
        [(str(number), masked(item.matter.title), f"{item.matter.source}：{mask_name(item.matter.raiser)}",
          item.matter.level, masked(item.decision.resolution) if item.decision else "",
          item.decision.summary if item.decision else "",
          masked(item.decision.responsible) if item.decision else "", _deadline(item), masked(_progress(item)))
         for number, item in enumerate(decided, 1)],
        widths=(0.42, 1.45, 1.05, 0.75, 2.0, 2.0, 0.95, 1.0, 1.3),
        align=("CENTER", "LEFT", "CENTER", "CENTER", "LEFT", "LEFT", "CENTER", "CENTER", "LEFT"),
        wrap=(1, 2, 4, 5, 6, 7, 8),
    )
    document.spacer(4)
    unsettled = [item for item in items if item.decision is None or not item.decision.passed]
    waiting = [item for item in unsettled if item.matter.state not in (meetings.ESCALATED, meetings.DONE)]
    if waiting:
        document.paragraph("以下议题本次未形成通过的决议，转入下次议事：" + "；".join(
            f"{masked(item.matter.title)}（{item.decision.result if item.decision else '未议定'}）"
            for item in waiting) + "。", "plain")
    escalated = [item for item in unsettled if item.matter.state == meetings.ESCALATED]
    if escalated:
        document.paragraph("以下议题已上报提级，由上级组织议事：" + "；".join(
            masked(item.matter.title) for item in escalated) + "。", "plain")
    document.paragraph("责任方将按时限办理，办理结果在公示栏公开。", "note")
    document.paragraph(objection_line(session, today, "服务站议事会"), "plain")
    document.signature(f"{document.station}议事会", chinese_date(today))
    return document.write(out, people=len({item.matter.raiser_id for item in decided}))


def minutes_pdf(session: Session, meeting_id: int, out: Path, today: dt.date) -> WrittenPdf:
    """议事会议记录 of one meeting, complete and unmasked, for the archive (not for the notice board).

    Raises:
        NotFound: no such meeting.
        ValidationError: the file could not be written.
    """
    row, items = _known(session, meeting_id, today)
    present = meetings.attendees(session, meeting_id)
    document = NoticeDocument(session, MINUTES_TITLE, row.label, public=False)
    for person in present:
        document.withhold("手机号码", person.phone)
    document.title(MINUTES_TITLE, row.title + ("（已取消）" if row.cancelled else ""))
    document.fields([
        ("会议类别", row.kind, "时间", f"{chinese_date(row.held_at.date())} {row.held_at:%H:%M}"),
        ("地点", row.place or "—", "主持人", row.host or "—"),
        ("表决规则", row.rule_text, "到会人数", f"{len(present)}人"),
    ], widths=(1, 2, 1, 2))
    document.spacer(6)
    parties: dict[str, list[str]] = {}
    for person in present:
        parties.setdefault(person.party or meetings.RESIDENT_PARTY, []).append(person.name)
    order = [*meetings.PARTIES, meetings.RESIDENT_PARTY]
    document.heading("参会人员", min_space=30)
    if parties:
        for party in sorted(parties, key=lambda p: order.index(p) if p in order else len(order)):
            document.paragraph(f"{party}：{'、'.join(parties[party])}", "plain")
    else:
        document.paragraph("（未登记参会人员）", "plain")
    if row.note:
        document.paragraph(f"备注：{row.note}", "plain")
    for number, item in enumerate(items, 1):
        matter = item.matter
        document.heading(f"议题{number}：{matter.title}", min_space=45)
        document.paragraph(f"{matter.source}：{matter.raiser}（{matter.raised_on:%Y-%m-%d}）；涉及：{matter.place}；"
                           f"类别：{matter.category}；层级：{matter.level}（{matter.lead}）", "plain")
        if matter.description:
            document.paragraph(f"情况说明：{matter.description}", "plain")
        document.paragraph(f"讨论记录：{item.minutes or '（未记录）'}", "plain")
        decision = item.decision
        if decision is None:
            after = {meetings.ESCALATED: "已上报提级，由上级组织议事", meetings.DONE: "议题已办结"}
            document.paragraph(f"决议：本次未议定，{after.get(matter.state, '转入下次议事')}。", "plain")
            continue
        for corrected in meetings.decisions(session, meeting_id, matter.id)[:-1]:
            document.paragraph(f"原决议（已更正）：{corrected.resolution}；表决：{corrected.summary}"
                               + (f"；责任方：{corrected.responsible}" if corrected.responsible else ""), "note")
        document.paragraph(f"决议：{decision.resolution}", "plain")
        document.paragraph(f"表决：{decision.summary}", "plain")
        if decision.by_household:
            rooms = meetings.ballots(session, decision.id)
            for choice, label in meetings.CHOICES.items():
                if rooms[choice]:
                    document.paragraph(f"{label}（{len(rooms[choice])}户）：{'、'.join(rooms[choice])}", "note")
        if decision.responsible or decision.deadline:
            document.paragraph(f"责任方：{decision.responsible or '—'}；完成时限：{_deadline(item)}", "plain")
        if decision.correction:
            document.paragraph(f"更正说明：{decision.correction}", "note")
    document.spacer(14)
    document.signature_lines(("记录人：", "主持人："))
    return document.write(out, people=len(present))


def sign_in_sheet(session: Session, meeting_id: int, out: Path, today: dt.date) -> WrittenPdf:
    """议事会议签到表: the registered attendees and blank lines, a 签名 column for each.

    Raises:
        NotFound: no such meeting.
        ValidationError: the meeting was cancelled, or the file could not be written.
    """
    row, items = _known(session, meeting_id, today)
    if row.cancelled:
        raise ValidationError("这次会议已经取消，不用签到")
    present = meetings.attendees(session, meeting_id)
    document = NoticeDocument(session, SIGN_IN_TITLE, row.label, public=False)
    document.title(SIGN_IN_TITLE, row.title)
    document.paragraph(f"时间：{chinese_date(row.held_at.date())} {row.held_at:%H:%M}　地点：{row.place or '—'}　"
                       f"主持人：{row.host or '—'}", "plain")
    if items:
        document.paragraph("议题：" + "；".join(f"{n}. {item.matter.title}" for n, item in enumerate(items, 1)),
                           "plain")
    lines = [(str(n), person.name, person.party or meetings.RESIDENT_PARTY, person.address, "")
             for n, person in enumerate(present, 1)]
    lines += [(str(n), "", "", "", "") for n in range(len(lines) + 1, max(SIGN_IN_LINES, len(lines) + 6) + 1)]
    document.table(("序号", "姓名", "身份/单位", "住址", "签名"), lines, widths=(0.6, 1.3, 1.4, 1.6, 1.8))
    document.paragraph("身份/单位：居民，或网格党支部、业委会、物业公司、网格员、共建单位、职能部门。", "note")
    return document.write(out, people=len(present))


def meeting_name(session: Session, meeting_id: int) -> str:
    """The meeting as a file name names it; "" when there is none."""
    found = session.scalar(select(Meeting.id).where(Meeting.id == meeting_id))
    return meetings.meeting(session, meeting_id).label if found is not None else ""
