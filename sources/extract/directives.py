"""Directives: the legal documents a report cites, and the instructions leaders give to agencies.

Vocabulary (document types, issuer symbols, agencies, instruction verbs) lives in `directives.yml`.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from sources import catalog
from sources.extract import dates, fold
from sources.extract.records import DocumentRef, Instruction
from sources.extract.text import Sentence

UPPER = "A-ZĐÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴ"
U = f"[{UPPER}]"
# "2656/KH- UBND": a symbol broken after its hyphen by a line wrap or a typist is still one symbol
SYMBOL_NUMBER = rf"\d+(?:/\d{{4}})?(?:[/-] ?{U}[\wĐđ&]*)+"


def _u(pattern: str) -> str:
    return pattern.replace("{U}", U)


@cache
def _vocab() -> dict:
    d = catalog.directives()
    types = d["document_types"]
    type_words = "|".join(sorted(map(re.escape, types), key=len, reverse=True))
    return {
        "types": types,
        "symbol_types": d["symbol_types"],
        "not_refs": set(d["not_references"]),
        "reference": fold.Scan(
            rf"(?P<type>{type_words})\s+(?:số\s*:?\s*)?(?P<num>{SYMBOL_NUMBER}|\d+(?![\d/]|[.,]\d))"
            rf"(?=(?P<rest>[^;.]{{0,80}}))",
            flags=re.I,
        ),
        # a symbol that names its type (2656/KH-UBND) is a reference wherever it stands, in a list too
        # (run only on sentences with a slash: every symbol of a document type has one, 57-NQ/TW, 88/2025/NĐ-CP)
        "bare_symbol": fold.Scan(rf"(?:^|(?<=[\s,(;:]))(?P<num>{SYMBOL_NUMBER})"),
        "dated_letter": fold.Scan(
            rf"ngày\s+(?P<d>\d{{1,2}})\s*[/.\-]\s*(?P<m>\d{{1,2}})(?:\s*[/.\-]\s*(?P<y>\d{{4}}))?\s*,\s*"
            rf"(?P<who>{U}[^,;.]{{2,60}}?)\s+(?:đã\s+)?(?:ban hành|có|gửi)\s+(?:văn bản|công văn)(?!\s+số)",
            flags=re.I,
        ),
        "issuers": [(re.compile(_u(p)), code) for p, code in d["issuers"]],
        "programmes": [re.compile(p, re.I) for p in d["programme_names"]],
        "verbs": fold.Scan(d["instruction_verbs"], flags=re.I),
        "roles": fold.Scan(d["issuer_roles"]),
        "national": re.compile(_u(d["national_issuers"])),
        "local": re.compile(d["local_assignee"]),
        "agencies": fold.Scan("|".join(f"(?:{_u(a)})" for a in d["agencies"])),
        "list_item": re.compile(
            r"(?:,\s*|\s+và\s+)("
            + "|".join(re.escape(n) for n in sorted(d["agency_names_with_va"], key=len, reverse=True))
            + rf"|{U}[\w&]*(?: [a-zà-ỹ]+)?)"
        ),
    }


# "Nghị quyết 57 của Bộ Chính trị", "Kế hoạch 02,", "Chỉ thị 05 ngày 20/3": a bare number cited without "số";
# not a year, and not a count ("5 năm", "3 tháng")
_CITED_BARE = re.compile(
    r"(?!(?:19|20)\d\d\b)\d{1,4}(?=\s*(?:của|ngày|về|do|năm 20\d\d|[,;:)]|$))(?!\s*(?:năm|tháng|ngày)\s+\D)", re.I
)


def _norm_number(number: str) -> str:
    return unicodedata.normalize("NFC", re.sub(r"\s+", "", number))


def _symbol_parts(number: str) -> list[str]:
    return [p for p in re.split(r"[/-]", number)[1:] if not p.isdigit()]


def _issuer_from_symbol(number: str) -> str | None:
    """The body that signs: after the type code (57-NQ/TW, 02/ML-CAT-PC06), or first where there is none
    (1234/BCA-C06, 456/UBND-KGVX: the office that drafted it comes after)."""
    v = _vocab()
    parts = _symbol_parts(number)
    typed = [i for i, p in enumerate(parts) if p in v["symbol_types"]]
    rest = [p for p in parts[typed[0] + 1 if typed else 0 :] if p not in v["symbol_types"]]
    if not rest:
        return None
    return re.sub(r"\d+$", "", rest[0]) or None


def _type_from_symbol(number: str) -> str | None:
    v = _vocab()
    for p in _symbol_parts(number):
        if p in v["not_refs"]:
            return "not_reference"
        if p in v["symbol_types"]:
            return v["symbol_types"][p]
    return None


def _issuer_from_text(rest: str) -> str | None:
    m = re.match(r"\s*(?:ngày\s+[\d/.\-]+\s*)?(?:của|do)\s+(?P<who>[^,;.()]{2,70})", rest)
    if not m:
        return None
    who = m.group("who")
    for pattern, code in _vocab()["issuers"]:
        hit = pattern.search(who)
        if hit:
            return code or hit.group(1)
    return None


def _issued_on(rest: str, rd: dates.ReportDate) -> str | None:
    m = re.match(r"[\s,]*(?:được ban hành\s+)?ngày\s+(\d{1,2})\s*[/.\-]\s*(\d{1,2})(?:\s*[/.\-]\s*(\d{4}))?", rest)
    if not m:
        m = re.match(r"[\s,]*ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", rest)
    if not m:
        return None
    d, mo = int(m.group(1)), int(m.group(2))
    y = int(m.group(3)) if m.group(3) else rd.year
    if y is None or not dates._valid(y, mo, d):
        return None
    return f"{y}-{mo:02d}-{d:02d}"


def documents(
    sents: list[Sentence], report_id: str, rd: dates.ReportDate, lows: list[str] | None = None
) -> list[DocumentRef]:
    v = _vocab()
    out: list[DocumentRef] = []
    seen: dict[str, DocumentRef] = {}

    def add(doc_type: str, number: str | None, issuer: str | None, issued_on: str | None, s: Sentence) -> None:
        key = _norm_number(number).upper() if number else f"{doc_type}:{issued_on}:{issuer}"
        if number and "/" not in number and "-" not in number:
            # "Nghị quyết số 57" after "Nghị quyết số 57-NQ/TW": the same document
            full = next((k for k, d in seen.items() if d.doc_type == doc_type and re.match(rf"{key}[/-]", k)), None)
            if full:
                return
        if key in seen:
            old = seen[key]
            old.issued_on = old.issued_on or issued_on
            old.issuer = old.issuer or issuer
            return
        ref = DocumentRef(report_id, doc_type, number, issuer, issued_on, s.text, s.start, s.end)
        seen[key] = ref
        out.append(ref)

    for i, s in enumerate(sents):
        taken: list[tuple[int, int]] = []
        low = lows[i] if lows is not None else fold.lower(s.text)
        for m in v["reference"].finditer(s.text, low):
            word = m.group("type").lower()
            number = _norm_number(m.group("num"))
            span = (m.start(), m.start("rest"))
            if any(p.match(s.text, m.start()) for p in v["programmes"]) and "/" not in number.replace("/CP", ""):
                continue
            symbol_type = _type_from_symbol(number)
            if symbol_type == "not_reference":
                continue
            doc_type = v["types"][word] if word != "văn bản" else (symbol_type or "cong_van")
            bare = not re.search(r"[/-]", number)
            said = re.search(r"số\s*:?\s*$", s.text[m.start() : m.start("num")], re.I)
            if bare and not said and not _CITED_BARE.match(number + m.group("rest")):
                continue  # "Kế hoạch 2024", "kế hoạch 5 năm": a bare number needs "số" or a citation after it
            if bare and number.lstrip("0") == "":
                continue
            rest = m.group("rest")
            issuer = _issuer_from_symbol(number) if not bare else None
            issuer = issuer or _issuer_from_text(re.sub(r"^\s*ngày\s+[\d/.\-]+\s*", "", rest))
            add(doc_type, number, issuer, _issued_on(rest, rd), s)
            taken.append(span)
        for m in v["bare_symbol"].finditer(s.text, low) if "/" in low else ():
            if any(a <= m.start("num") < b for a, b in taken):
                continue
            number = _norm_number(m.group("num"))
            doc_type = _type_from_symbol(number)
            if doc_type and doc_type != "not_reference":
                issued = _issued_on(s.text[m.end() :], rd) or _official_date(sents, s, rd)
                add(doc_type, number, _issuer_from_symbol(number), issued, s)
        for m in v["dated_letter"].finditer(s.text, low):
            y = int(m.group("y")) if m.group("y") else rd.year
            d, mo = int(m.group("d")), int(m.group("m"))
            if y and dates._valid(y, mo, d):
                who = m.group("who").strip()
                issuer = next((code or hit.group(1) for p, code in v["issuers"] if (hit := p.search(who))), who)
                add("cong_van", None, issuer, f"{y}-{mo:02d}-{d:02d}", s)
    return out


def _official_date(sents: list[Sentence], s: Sentence, rd: dates.ReportDate) -> str | None:
    """The "Quảng Bình, ngày 22 tháng 12 năm 2023" line under an official document's number."""
    for other in sents[s.index : s.index + 3]:
        m = re.search(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", other.text)
        if m:
            return f"{int(m.group(3))}-{int(m.group(2)):02d}-{int(m.group(1)):02d}"
    return None


# --- instructions ---------------------------------------------------------------------------------------

# An agency right after these words receives a report or advice; it is not the one that must act.
_RECIPIENT_BEFORE = fold.compile_quick(
    r"(?:trình|tham mưu(?: cho)?|báo cáo(?: kết quả)?(?: về| lên| cho)?|gửi(?: về)?|lên|của|theo|do|cho|tới|đến|"
    r"với)\s*$"
    # and the others listed with the first it advises: "tham mưu UBND tỉnh, Ban Chỉ đạo ..."
    r"|(?:trình|tham mưu(?: cho)?)\s+(?:[^,;]{1,30},\s*){1,3}$",
    re.I,
)
# The head of a body: before a handing verb the one who hands the work ("Chủ tịch UBND tỉnh yêu cầu"), after it or
# as the subject of a task the one who must act ("đề nghị Chủ tịch UBND các huyện ...").
_HEAD_BEFORE = fold.compile_quick(
    r"(?:Chủ tịch|Phó Chủ tịch|Bí thư|Giám đốc|Trưởng ban|Phó Trưởng ban|Thủ trưởng|lãnh đạo|người đứng đầu)\s*$",
    re.I,
)
_HEAD_BEFORE_SCAN = fold.Scan(_HEAD_BEFORE)  # behind its literal gate: most words before an agency name no head
# Verbs that hand work to someone: who stands before them gives the instruction, not receives it.
# ("đôn đốc" is not one: a department that follows up on others is handed that task, "Sở ... theo dõi, đôn đốc")
_HANDING = re.compile(r"(?:yêu cầu|đề nghị|giao|chỉ đạo|mong muốn|kêu gọi|phân công|nhất trí giao)$", re.I)
_TASK_AFTER_SUBJECT = re.compile(
    # "được giao dự toán 25 tỷ đồng": money or staff allotted, not a task
    r"^\s*(?:[,:]\s*)?(?:được (?:giao|yêu cầu|đề nghị|phân công)(?! (?:dự toán|kinh phí|vốn|biên chế|quản lý)\b)|"
    r"cần|phải|chủ trì|tham mưu|có trách nhiệm|tập trung|"
    r"khẩn trương|sớm|tiếp tục|hoàn thành|phối hợp|rà soát|triển khai|xây dựng|thực hiện|đẩy mạnh|hoàn thiện|"
    r"nghiên cứu|chịu trách nhiệm|tăng cường|kiểm tra|theo dõi|đôn đốc)\b",
    re.I,
)
# a sentence that only states the time limit of the task before it
_TIME_LIMIT_ALONE = re.compile(
    r"\W*(?:thời hạn|thời gian|hạn)(?: hoàn thành| thực hiện| báo cáo)?\s*(?::|là\b|trước\b|chậm nhất\b)", re.I
)
# "phối hợp với Sở Tư pháp", "giao cho Công an tỉnh": the agency named after them acts too
_WITH_BEFORE = fold.compile_quick(r"(?:phối hợp(?: với)?|giao cho)\s*$", re.I)
# an item of a list: "- ...", "a) ...", "(2) ...", "3. ..."
_LIST_ITEM = re.compile(r"\s*(?:[-–+•*]|\(?[a-zđ]\)|\(?\d{1,2}[.)])\s", re.I)
_ENUMERATOR = fold.compile_quick(r"(?:^|(?<=[\s:;]))(?:\(?[a-zđ]\)|\(?\d{1,2}[.)]|[-–+•*])\s*$", re.I)
# a task that makes, runs or reshapes a body, or guides and checks others: the body named after it is the task's
# object, not who must act ("giao Công an tỉnh hướng dẫn các xã ...")
_OBJECT_OF_TASK = fold.compile_quick(
    r"\b(?:xây dựng|thành lập|nâng cấp|đưa|vận hành|đầu tư|kiện toàn|củng cố|sáp nhập|hợp nhất|đổi tên|vai trò|"
    r"thường trực|hướng dẫn|hỗ trợ|tập huấn|kiểm tra)\b(?![^,;]*\b(?:phối hợp(?: với)?|giao cho|cùng với)\s*$)",
    re.I,
)
_MEMBERS = fold.compile_quick(
    r"(?:^|(?<=\s))(?:các|những|toàn bộ|toàn thể)?\s*(?:thành viên|cán bộ|đoàn viên)?\s*$", re.I
)
_FOR_AGENCY = fold.compile_quick(r"(?:^|[\s,.:;\-–+•*])(?:đối với|riêng)\s*$", re.I)
_TASK_VERB = re.compile(
    r"\b(?:phải|cần|sớm|khẩn trương|tiếp tục|tập trung|triển khai|thực hiện|hoàn thành|rà soát|đẩy mạnh|xây dựng|"
    r"tham mưu|chủ trì|phối hợp|huy động|làm|nâng cao|tăng cường|quán triệt|hoàn thiện|giao|tổ chức|đưa|bố trí|"
    r"cập nhật|kiểm tra|quan tâm|nghiên cứu|báo cáo|gửi|hướng dẫn)\b"
)
# a task without a named agency, when a deadline comes with it; a quota handed down counts ("đạt chỉ tiêu ... trước
# ngày ..."); "trình" is to submit, not the end of "toàn trình", "quy trình", "chương trình"
_DEADLINE_TASK = fold.compile_quick(
    r"\b(?:hoàn thành|phải|đưa|ban hành|xong|(?<!toàn )(?<!quy )(?<!chương )(?<!lộ )(?<!tiến )(?<!hành )trình|"
    r"báo cáo|vận hành|triển khai|chỉ tiêu)\b",
    re.I,
)


# a past-tense directive verb: the report tells what happened
_NARRATED = fold.compile_quick(
    r"\b(?:đã|vừa)\s+(?:(?:tích cực|chủ động|kịp thời)\s+|được\s+(?:[^;]{0,80}?\s)?)?"
    r"(?:phối hợp|chủ trì|tham mưu|chỉ đạo|giao|đôn đốc|triển khai|thành lập|ban hành|tổ chức|thực hiện|hoàn thành|"
    r"huy động)\b",
    re.I,
)
# a request to those above ("tỉnh kiến nghị Bộ Thông tin và Truyền thông hỗ trợ ...; phối hợp Bộ Công an ..."): what
# the sentence asks of them is no instruction, in the clauses that follow too
_PROPOSAL = fold.compile_quick(
    r"\b(?:kiến nghị|đề xuất)\s+(?:với\s+)?(?:Bộ|Chính phủ|Thủ tướng|Trung ương|Ủy ban|Uỷ ban|UBND|các bộ)\b", re.I
)


class _PastFrame:
    """A sentence that opens on time gone by ("Thời gian qua,", "Năm 2023," in a 2024 report) records what was done."""

    _WORDS = re.compile(r"^\W*(?:trong\s+)?(?:thời gian qua|những năm qua|năm qua|vừa qua|qua \d+ năm)\b", re.I)
    _YEAR = re.compile(r"^\W*(?:trong\s+|cả\s+)?năm\s+(20\d\d)\s*,", re.I)

    def search(self, text: str, rd: dates.ReportDate) -> bool:
        if self._WORDS.search(text):
            return True
        m = self._YEAR.search(text)
        return bool(m and rd.year and int(m.group(1)) < rd.year)


_PAST_FRAME = _PastFrame()


def _agencies(text: str, low: str | None = None) -> list[tuple[int, int, str]]:
    """Agencies named in a clause; "các Sở Thông tin và Truyền thông, Tài chính" names two Sở."""
    out = []
    for m in _vocab()["agencies"].finditer(text, low if low is not None else fold.lower(text)):
        name = m.group(0).strip()
        out.append((m.start(), m.end(), name))
        head = name.split()[0]
        if head.lower() in {"sở", "bộ"} and text[max(0, m.start() - 4) : m.start()].lower().endswith("các "):
            item = _vocab()["list_item"]
            pos = m.end()
            while (extra := item.match(text, pos)) is not None:
                out.append((extra.start(1), extra.end(1), f"{head} {extra.group(1)}"))
                pos = extra.end()
    return out


def _clauses(text: str) -> list[tuple[int, int]]:
    bounds, start = [], 0
    while (end := text.find(";", start)) >= 0:
        bounds.append((start, end))
        start = end + 1
    bounds.append((start, len(text)))
    return bounds


def _assignees_of_clause(
    text: str,
    span: tuple[int, int],
    verb: re.Match[str] | None,
    agencies: list[tuple[int, int, str]],
    has_deadline: bool,
    low: str,
) -> list[str]:
    """The agencies a clause hands its work to: after the handing verb, or the subject of a task with a deadline,
    never who hands it, whom an agency advises, or what the task makes. `low`: the sentence lowercased."""
    c_start, c_end = span
    handing = verb is not None and _HANDING.search(verb.group(0)) is not None
    assignees = []
    for a_start, a_end, name in agencies:
        if not c_start <= a_start < c_end:
            continue
        before = text[c_start:a_start]
        after = text[a_end:c_end]
        head_before = _HEAD_BEFORE_SCAN.search(before, low[c_start:a_start]) is not None
        listed = _HEAD_BEFORE.sub("", before) if head_before else before
        for *_, other in agencies:  # "Báo Bắc Ninh và Đài ...": a list of subjects
            listed = listed.replace(other, "")
        # "các Tổ ...", "các thành viên Tổ công nghệ số ...": the body acts through its members; "b) Sở Tư
        # pháp ...", "Nhiệm vụ: - Công an tỉnh: ...": an enumerated task (both looked for in the last words)
        for lead in (_MEMBERS, _ENUMERATOR):
            if m := lead.search(listed, max(0, len(listed) - 40)):
                listed = listed[: m.start()]
        subject = (
            not listed.strip(" ,:")
            # "Đối với Công an tỉnh: chủ trì ...", "Riêng Sở Y tế, ...": the agency a part of the text is for
            or _FOR_AGENCY.search(listed, max(0, len(listed) - 20)) is not None
            or ("," in listed and re.fullmatch(r"(?:[^,;]{0,40}?,\s*){1,2}", listed) is not None)
            or re.fullmatch(r"[^;]{0,80}?:\s*", listed) is not None  # "Giai đoạn 1 (...): các xã ..."
            or re.fullmatch(r"[\s,]*(?:và|cùng)?[\s,]*", listed) is not None
        )
        after_verb = verb is not None and c_start + verb.end() <= a_start
        if handing and a_start < c_start + verb.start() and not re.match(r"\s*được\b", text[a_end:c_end]):
            continue  # "UBND tỉnh giao Sở ...": who hands the work
        with_before = _WITH_BEFORE.search(before) is not None
        if _RECIPIENT_BEFORE.search(before) and not with_before and not _FOR_AGENCY.search(before):
            continue
        if head_before and not (after_verb or subject):
            continue
        if head_before and verb is not None and a_start < c_start + verb.start():
            continue  # "Chủ tịch UBND tỉnh yêu cầu Sở ...": the agency's head gives the instruction
        if after_verb and _OBJECT_OF_TASK.search(_skip_listed(text[c_start + verb.end() : a_start], agencies)):
            continue  # "đưa Trung tâm Điều hành vào vận hành", "kiện toàn Ban Chỉ đạo": what the task makes
        if (
            after_verb
            # "Sở Tài chính bố trí kinh phí trong tháng 1/2026": the subject of a task with a deadline
            or (subject and (has_deadline or _TASK_AFTER_SUBJECT.match(_skip_listed(after, agencies))))
            or with_before
        ):
            assignees.append(name)
    return assignees


def _spread_deadlines(found: list[Instruction], starts: list[int], deadlines: list[dates.Deadline]) -> None:
    """Deadlines no clause claimed go to the task before them ("Công an tỉnh đẩy mạnh ..., phấn đấu đến hết năm 2024
    đạt 85%": the deadline in a clause of its own); with none claimed, the sentence's first goes to its last task."""
    if found and not any(i.deadline for i in found) and deadlines:
        found[-1].deadline = deadlines[0].label
    claimed = {i.deadline for i in found}
    for d in deadlines:
        before = [k for k, start in enumerate(starts) if start <= d.start]
        if d.label not in claimed and before and found[before[-1]].deadline is None:
            found[before[-1]].deadline = d.label
            claimed.add(d.label)


def _item_under_header(
    header: Instruction,
    item: re.Match[str],
    s: Sentence,
    agencies: list[tuple[int, int, str]],
    found: list[Instruction],
    deadlines: list[dates.Deadline],
) -> None:
    """A listed item under a sentence that hands tasks ("UBND tỉnh giao Công an tỉnh:"): its tasks are the
    header's agencies' unless the item names its own ("- Sở Y tế: ..."); an item with only a deadline is one."""
    own_subject = any(a_start == item.end() for a_start, _, _ in agencies)
    for ins in found:
        if not own_subject:  # "b) Phối hợp Sở Tư pháp ...": the header's agencies act, with those named
            ins.assignees = _unique([*header.assignees, *ins.assignees])
        ins.issued_by = ins.issued_by or header.issued_by
    if not found and deadlines:  # "- Rà soát thủ tục nội bộ trong quý III/2025."
        found.append(
            Instruction(
                header.report_id,
                header.geo_code,
                header.issued_by,
                list(header.assignees),
                _action(s.text),
                deadlines[0].label,
                s.text,
                s.start,
                s.end,
            )
        )


def instructions(
    sents: list[Sentence], report_id: str, rd: dates.ReportDate, geo_code: str | None, lows: list[str] | None = None
) -> list[Instruction]:
    """One instruction per clause that hands work to someone: its assignees, its action, its deadline."""
    v = _vocab()
    out: list[Instruction] = []
    last_issuer: str | None = None
    header: Instruction | None = None  # a sentence handing the tasks listed after it ("... giao Công an tỉnh:")
    for i, s in enumerate(sents):
        text = s.text
        low = lows[i] if lows is not None else fold.lower(text)
        role = v["roles"].search(text, low)
        if role and role.start() < 80:
            last_issuer = _trim_role(role.group(0))
        done_times: list[int] = []
        # once a sentence: where it asks those above for something, whether it opens on time gone by
        proposal = _PROPOSAL.search(text) if ("kiến nghị" in low or "đề xuất" in low) else None
        past_opening: bool | None = None  # read on first need: most clauses hand no work
        sentence_deadlines = dates.deadlines(text, rd, low, done_times)
        if sentence_deadlines and _TIME_LIMIT_ALONE.match(text) and out and out[-1].deadline is None:
            out[-1].deadline = sentence_deadlines[0].label  # "Giao Sở Tư pháp rà soát ... Thời hạn: trước ngày ..."
            continue
        agencies = _agencies(text, low)
        clauses = _clauses(text)
        found: list[Instruction] = []
        starts: list[int] = []  # where each found instruction's clause starts
        for c_start, c_end in clauses:
            clause = text[c_start:c_end]
            verb = v["verbs"].search(clause, low[c_start:c_end])
            has_deadline = any(c_start <= d.start < c_end for d in sentence_deadlines)
            if verb is None and not has_deadline and not any(c_start <= a_start < c_end for a_start, *_ in agencies):
                continue  # no verb, no deadline, no agency: nothing is handed to anyone here
            handing = verb is not None and _HANDING.search(verb.group(0)) is not None
            if not handing and proposal is not None and proposal.start() < c_end:
                continue
            if not has_deadline and not handing:
                if past_opening is None:
                    past_opening = _PAST_FRAME.search(text[:60], rd)
                if past_opening or any(c_start <= t < c_end for t in done_times):
                    continue  # "Thời gian qua, Ủy ban MTTQ tỉnh phối hợp ...": what agencies did, told as a record
            if not has_deadline and _NARRATED.search(clause):
                continue  # "Bộ Công an đã phối hợp ...", "đã chủ trì cuộc họp": what was done, not a task given
            assignees = _assignees_of_clause(text, (c_start, c_end), verb, agencies, has_deadline, low)
            if not assignees and verb is not None and handing:  # "tham mưu UBND tỉnh": a recipient, not a group
                phrase = _object_phrase(clause[verb.end() :])
                if phrase:
                    assignees.append(phrase)
            deadline = next((d.label for d in sentence_deadlines if c_start <= d.start < c_end), None)
            if deadline is None and len(clauses) == 1 and sentence_deadlines:
                deadline = sentence_deadlines[0].label
            if not assignees and not (deadline and (verb or _DEADLINE_TASK.search(clause))):
                continue
            if not assignees and not verb and not deadline:
                continue
            before_verb = text[: c_start + (verb.start() if verb else 0)]
            issuer = _issuer_before(before_verb) or _national_issuer(before_verb, clause) or last_issuer
            action_from = c_start + (verb.end() if verb else 0)
            starts.append(c_start)
            found.append(
                Instruction(
                    report_id,
                    _NATIONAL_CODE if _applies_nationally(issuer, assignees) else geo_code,
                    issuer,
                    _unique(assignees),
                    _action(text[action_from:c_end]),
                    deadline,
                    text,
                    s.start,
                    s.end,
                )
            )
        _spread_deadlines(found, starts, sentence_deadlines)
        item = _LIST_ITEM.match(text) if header is not None else None
        if header is not None and item:  # an item under "UBND tỉnh giao Công an tỉnh:"
            _item_under_header(header, item, s, agencies, found, sentence_deadlines)
        elif found and found[-1].assignees and text.rstrip().endswith(":"):
            header = found[-1]  # the items that follow are its tasks
        else:
            header = None
        out.extend(found)
    return out


_NATIONAL_CODE = "00"
# "thực hiện ý kiến chỉ đạo từ Bộ Công an về việc ...": who gave the instruction a report carries out
_DIRECTED_BY = fold.compile_quick(r"chỉ đạo\s+(?:của|từ)\s+", re.I)


def _national_issuer(before_verb: str, clause: str) -> str | None:
    """A national body that hands the work: just before the verb ("Bộ Công an yêu cầu"), or named as the source of
    the instruction carried out ("chỉ đạo của Bộ Công an về việc hoàn thành ...")."""
    national = _vocab()["national"]
    tail = re.split(r"[,;]", before_verb)[-1]
    hits = list(national.finditer(tail))
    if hits and not tail[hits[-1].end() :].strip(" ,"):
        return hits[-1].group(0)
    for m in _DIRECTED_BY.finditer(clause):
        hit = national.match(clause, m.end())
        if hit:
            return hit.group(0)
    return None


def _applies_nationally(issuer: str | None, assignees: list[str]) -> bool:
    """A national body's instruction to ministries, to provinces at large or to no one named applies to the country;
    one to a named local body ("Công an tỉnh", "TP. Pleiku") applies where that body is."""
    v = _vocab()
    if not issuer or not v["national"].search(issuer):  # "Thủ tướng", "Thứ trưởng Bộ Công an"
        return False
    at_large = re.compile(r"các tỉnh(?:, thành phố)?(?: trực thuộc Trung ương)?|cấp tỉnh", re.I)
    return not any(v["local"].search(at_large.sub("", a)) for a in assignees)


def _skip_listed(after: str, agencies: list[tuple[int, int, str]]) -> str:
    """The words after a subject, past the other subjects listed with it ("... và Sở Tài chính cần")."""
    for *_, other in agencies:
        after = after.replace(other, "")
    return re.sub(r"^[\s,]*(?:và|cùng)?[\s,]*(?=\S)", "", after)


def _object_phrase(after: str) -> str | None:
    """The noun phrase after the verb, up to the verb of the task ("toàn bộ cán bộ ... phải")."""
    m = re.match(r"\s*(?:toàn bộ\s+|tất cả\s+)?(.{3,120}?)\s+(?=" + _TASK_VERB.pattern + ")", after)
    if not m:
        return None
    phrase = m.group(1).strip(" ,:")
    if re.search(r"\d|\b(?:muộn nhất|chậm nhất|trước|trong tháng|đến)\b", phrase):
        return None
    if not _GROUP_HEAD.match(phrase):
        return None  # "khẩn trương", "đề xuất", "rõ trách nhiệm của ...": not who is to act
    return phrase


# who can be handed a task without being a named agency: groups of people and bodies
_GROUP_HEAD = re.compile(
    r"(?i:các|mỗi|từng|toàn thể|cán bộ|công chức|viên chức|đảng viên|người đứng đầu|lãnh đạo|lực lượng|"
    r"đơn vị|địa phương|cơ quan|doanh nghiệp|tổ|đội|ban|hội|đoàn|trung tâm|văn phòng|sở|bộ|ủy ban|uỷ ban|ubnd|"
    r"công an|thành viên|người dân|học sinh|giáo viên|cấp ủy|cấp uỷ|chính quyền|hệ thống chính trị|"
    # a place addressed as a whole by those above it ("Bộ Công an đề nghị tỉnh Hà Giang ...")
    r"tỉnh|thành phố|tp\.|huyện|quận|xã|phường)\b"
)


def _issuer_before(before: str) -> str | None:
    roles = list(_vocab()["roles"].finditer(before, fold.lower(before)))
    return _trim_role(roles[-1].group(0)) if roles else None


def _trim_role(role: str) -> str:
    role = re.split(r"\s+(?:yêu cầu|đề nghị|giao|chỉ đạo|mong muốn|phát biểu|cho biết|nhấn mạnh|ghi nhận)\b", role)[0]
    return role.strip(" ,")[:90]


def _action(after: str) -> str:
    return after.strip(" ,:;")[:200]


def _unique(xs: list[str]) -> list[str]:
    seen: list[str] = []
    for x in xs:
        if x not in seen:
            seen.append(x)
    return seen


def extract_directives(
    sents: list[Sentence],
    report_id: str,
    rd: dates.ReportDate,
    geo_code: str | None,
    post_merger: bool,
    lows: list[str] | None = None,
) -> tuple[list[DocumentRef], list[Instruction]]:
    """`lows`: the sentences lowercased (fold.lower), when the caller has them."""
    lows = lows if lows is not None else [fold.lower(s.text) for s in sents]
    return documents(sents, report_id, rd, lows), instructions(sents, report_id, rd, geo_code, lows)
