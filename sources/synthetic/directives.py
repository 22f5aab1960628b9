"""Document citations and leaders' instructions, with their gold (spec/directives.md)."""

from __future__ import annotations

from datetime import date, timedelta

from sources.synthetic.context import Ctx, S, Sent, cap
from sources.synthetic.numbers import Fig, dmy
from sources.synthetic.world import MERGER_DAY

# (doc_type, number, issuer, issued_on, word, by, topic): real national documents the reports may cite.
NATIONAL_DOCS = (
    (
        "quyet_dinh",
        "749/QĐ-TTg",
        "TTg",
        date(2020, 6, 3),
        "Quyết định",
        "của Thủ tướng Chính phủ",
        "phê duyệt Chương trình Chuyển đổi số quốc gia đến năm 2025, định hướng đến năm 2030",
    ),
    (
        "quyet_dinh",
        "942/QĐ-TTg",
        "TTg",
        date(2021, 6, 15),
        "Quyết định",
        "của Thủ tướng Chính phủ",
        "phê duyệt Chiến lược phát triển Chính phủ điện tử hướng tới Chính phủ số",
    ),
    ("quyet_dinh", "06/QĐ-TTg", "TTg", date(2022, 1, 6), "Quyết định", "của Thủ tướng Chính phủ", "phê duyệt Đề án 06"),
    (
        "quyet_dinh",
        "411/QĐ-TTg",
        "TTg",
        date(2022, 3, 31),
        "Quyết định",
        "của Thủ tướng Chính phủ",
        "phê duyệt Chiến lược quốc gia phát triển kinh tế số và xã hội số",
    ),
    (
        "nghi_dinh",
        "59/2022/NĐ-CP",
        "CP",
        date(2022, 9, 5),
        "Nghị định",
        "của Chính phủ",
        "quy định về định danh và xác thực điện tử",
    ),
    (
        "chi_thi",
        "05/CT-TTg",
        "TTg",
        date(2023, 2, 23),
        "Chỉ thị",
        "của Thủ tướng Chính phủ",
        "về tiếp tục đẩy mạnh triển khai Đề án 06",
    ),
    (
        "nghi_dinh",
        "69/2024/NĐ-CP",
        "CP",
        date(2024, 6, 25),
        "Nghị định",
        "của Chính phủ",
        "quy định về định danh điện tử và xác thực điện tử",
    ),
    (
        "nghi_quyet",
        "57-NQ/TW",
        "TW",
        date(2024, 12, 22),
        "Nghị quyết",
        "của Bộ Chính trị",
        "về đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia",
    ),
    (
        "nghi_quyet",
        "202/2025/QH15",
        "QH",
        date(2025, 6, 12),
        "Nghị quyết",
        "của Quốc hội",
        "về sắp xếp đơn vị hành chính cấp tỉnh",
    ),
)

# (action, the kinds of agency that would be asked to do it)
ACTIONS = (
    ("hoàn thành làm sạch dữ liệu dân cư và dữ liệu chuyên ngành", ("police", "justice", "health", "all")),
    (
        "đẩy mạnh tuyên truyền, hướng dẫn người dân kích hoạt và sử dụng tài khoản định danh điện tử mức 2",
        ("police", "local", "all"),
    ),
    ("rà soát, đề xuất cắt giảm các thủ tục hành chính chưa phát sinh hồ sơ trực tuyến", ("office", "dx", "all")),
    ("hoàn thành kết nối, chia sẻ dữ liệu hộ tịch với Cơ sở dữ liệu quốc gia về dân cư", ("justice", "police")),
    ("tổ chức đợt cao điểm hỗ trợ người dân nộp hồ sơ trực tuyến tại bộ phận một cửa", ("local", "office")),
    (
        "nâng cấp Hệ thống thông tin giải quyết thủ tục hành chính, bảo đảm kết nối thông suốt với Cổng Dịch vụ công "
        "quốc gia",
        ("dx", "office"),
    ),
    ("hoàn thiện kho dữ liệu dùng chung và nền tảng tích hợp, chia sẻ dữ liệu", ("dx",)),
    ("số hóa hồ sơ, kết quả giải quyết thủ tục hành chính còn hiệu lực", ("local", "all", "office")),
    ("kiện toàn Tổ công nghệ số cộng đồng tại các thôn, tổ dân phố", ("dx", "local")),
    ("xây dựng phương án bảo đảm an toàn thông tin cho các hệ thống dùng chung", ("dx", "police")),
    ("triển khai thanh toán không dùng tiền mặt trong giải quyết thủ tục hành chính", ("office", "all", "dx")),
    ("đẩy mạnh khám chữa bệnh bảo hiểm y tế bằng căn cước công dân gắn chip", ("health",)),
    ("rà soát, chuẩn hóa dữ liệu cán bộ, công chức, viên chức", ("home",)),
)
ACTIONS_AFTER_MERGER = (
    ("cập nhật địa chỉ mới của công dân vào Cơ sở dữ liệu quốc gia về dân cư", ("police", "local")),
    ("hoàn thành hợp nhất cổng thông tin điện tử và các cơ sở dữ liệu chuyên ngành của các tỉnh cũ", ("dx", "office")),
)


def _party(ctx: Ctx) -> str:
    return "Thành ủy" if ctx.is_city else "Tỉnh ủy"


def _issued(ctx: Ctx) -> date:
    day = ctx.date - timedelta(days=ctx.rng.randint(5, 480))
    return max(day, date(2021, 1, 4))


def provincial_doc(ctx: Ctx) -> tuple[str, str, str, dict]:
    """(head with number and date, issuer phrase, topic, gold) of a document of the province."""
    rng, lvl = ctx.rng, ctx.lvl
    on = _issued(ctx)
    n = rng.randint(1, 3600)
    small = rng.randint(1, 40)
    party = _party(ctx)
    kind = rng.choice(("kh", "kh", "qd", "ct", "nq_tu", "nq_hdnd", "cv_ub", "cv_tu", "kl", "tb"))
    if kind == "kh":
        spec = (
            "ke_hoach",
            f"{n}/KH-UBND",
            "UBND",
            "Kế hoạch",
            f"của UBND {lvl}",
            f"về chuyển đổi số năm {on.year + (1 if on.month == 12 else 0)}",
        )
    elif kind == "qd":
        spec = (
            "quyet_dinh",
            f"{n}/QĐ-UBND",
            "UBND",
            "Quyết định",
            f"của UBND {lvl}",
            "phê duyệt Đề án chuyển đổi số giai đoạn mới",
        )
    elif kind == "ct":
        spec = (
            "chi_thi",
            f"{small:02d}/CT-UBND",
            "UBND",
            "Chỉ thị",
            f"của Chủ tịch UBND {lvl}",
            "về đẩy mạnh thực hiện Đề án 06",
        )
    elif kind == "nq_tu":
        spec = (
            "nghi_quyet",
            f"{small:02d}-NQ/TU",
            "TU",
            "Nghị quyết",
            f"của Ban Chấp hành Đảng bộ {lvl}",
            "về chuyển đổi số",
        )
    elif kind == "nq_hdnd":
        number = f"{small}/{on.year}/NQ-HĐND" if rng.random() < 0.5 else f"{small}/NQ-HĐND"
        spec = ("nghi_quyet", number, "HĐND", "Nghị quyết", f"của HĐND {lvl}", "về chính sách hỗ trợ chuyển đổi số")
    elif kind == "cv_ub":
        spec = (
            "cong_van",
            f"{n}/UBND-KGVX",
            "UBND",
            "Công văn",
            f"của UBND {lvl}",
            "về đẩy nhanh tiến độ kích hoạt tài khoản định danh điện tử",
        )
    elif kind == "cv_tu":
        spec = (
            "cong_van",
            f"{n}-CV/TU",
            "TU",
            "Công văn",
            f"của Thường trực {party}",
            "về tăng cường lãnh đạo thực hiện Đề án 06",
        )
    elif kind == "kl":
        spec = (
            "ket_luan",
            f"{small + 100}-KL/TU",
            "TU",
            "Kết luận",
            f"của Ban Thường vụ {party}",
            "về đẩy mạnh chuyển đổi số",
        )
    else:
        spec = (
            "thong_bao",
            f"{n}/TB-UBND",
            "UBND",
            "Thông báo",
            f"của UBND {lvl}",
            f"kết luận của Chủ tịch UBND {lvl} tại phiên họp Ban Chỉ đạo chuyển đổi số",
        )
    doc_type, number, issuer, word, by, topic = spec
    dated = rng.random() < 0.8
    head = f"{word} số {number}" + (f" ngày {dmy(rng, on)}" if dated else "")
    return head, by, topic, ctx.doc(doc_type, number, issuer, on if dated else None)


def national_doc(ctx: Ctx) -> tuple[str, str, str, dict] | None:
    rng = ctx.rng
    usable = [d for d in NATIONAL_DOCS if d[3] < ctx.date and (d[1] != "202/2025/QH15" or ctx.date >= MERGER_DAY)]
    if not usable:
        return None
    doc_type, number, issuer, on, word, by, topic = rng.choice(usable)
    if number == "05/CT-TTg" and rng.random() < 0.3:
        return "Chỉ thị số 05", by, topic, ctx.doc("chi_thi", "05", "TTg", None)
    dated = rng.random() < 0.75
    head = f"{word} số {number}" + (f" ngày {dmy(rng, on)}" if dated else "")
    return head, by, topic, ctx.doc(doc_type, number, issuer, on if dated else None)


def any_doc(ctx: Ctx) -> tuple[str, str, str, dict] | None:
    """A document not yet cited in this report (a document cited twice would be one reference)."""
    for _ in range(6):
        found = None
        if ctx.national or ctx.rng.random() < 0.35:
            found = national_doc(ctx)
        if found is None and not ctx.national:
            found = provincial_doc(ctx)
        if found is not None:
            key = "05/CT-TTg" if found[3]["number"] == "05" else found[3]["number"]
            if key not in ctx.used_docs:
                ctx.used_docs.add(key)
                return found
    return None


def document_sentence(ctx: Ctx) -> Sent | None:
    rng = ctx.rng
    first = any_doc(ctx)
    if first is None:
        return None
    head, by, topic, gold = first
    org = (
        "các bộ, ngành, địa phương"
        if ctx.national
        else rng.choice((f"UBND {ctx.lvl}", "các sở, ban, ngành", f"{ctx.lvl} {ctx.name}"))
    )
    docs = [gold]
    v = rng.randrange(5)
    obs: list[dict] = []
    if v == 0:
        text = f"Thực hiện {head} {by} {topic}, {org} đã triển khai đồng bộ các nhiệm vụ chuyển đổi số trọng tâm"
    elif v == 1:
        subject = by.removeprefix("của ")
        text = f"{cap(subject)} đã ban hành {head} {topic}"
    elif (
        v == 2
        and not ctx.national
        and ("online_application_rate", "target") not in ctx.used
        and (
            goals := [p for p in (50, 60, 70, 80, 90, 95) if 2 < p - ctx.world.online_rate(ctx.members, ctx.date) <= 35]
        )
    ):
        ctx.used.add(("online_application_rate", "target"))
        yt = ctx.date.year if ctx.date.month <= 9 else ctx.date.year + 1
        p = rng.choice(goals)
        tgt = S(
            Fig(rng.choice((f"{p}%", f"trên {p}%", f"tối thiểu {p}%")), p),
            "online_application_rate",
            period=str(yt),
            qualifier="target",
        )
        sent = ctx.say(
            "Theo {head} {by} {topic}, {lvl} phấn đấu đến hết năm {yt} có {tgt} hồ sơ thủ tục hành chính được tiếp "
            "nhận trực tuyến",
            None,
            head=head,
            by=by,
            topic=topic,
            lvl=ctx.lvl,
            yt=str(yt),
            tgt=tgt,
        )
        for d in docs:
            d["evidence"] = sent.text
        sent.docs = docs
        return sent
    elif v == 3:
        second = any_doc(ctx)
        if second is None:
            text = f"Ngay sau khi {head} {by} được ban hành, {org} đã xây dựng kế hoạch triển khai thực hiện"
        else:
            docs.append(second[3])
            text = f"Các nhiệm vụ được triển khai theo {head} {by} và {second[0]} {second[1]} {second[2]}"
    else:
        text = f"Ngay sau khi {head} {by} được ban hành, {org} đã xây dựng kế hoạch triển khai thực hiện"
    sent = ctx.finish(text, obs)
    for d in docs:
        d["evidence"] = sent.text
    sent.docs = docs
    return sent


def _roles(ctx: Ctx) -> list[str]:
    if ctx.national:
        return ["Thủ tướng Chính phủ", "Phó Thủ tướng Chính phủ"]
    lvl, party = ctx.lvl, _party(ctx)
    return [
        f"Chủ tịch UBND {lvl}",
        f"Phó Chủ tịch UBND {lvl}",
        f"Phó Chủ tịch Thường trực UBND {lvl}",
        f"Bí thư {party}",
    ]


def _agency(ctx: Ctx, kind: str) -> str:
    if ctx.national:
        return {
            "dx": ctx.dx_agency(),
            "police": "Bộ Công an",
            "office": "Văn phòng Chính phủ",
            "home": "Bộ Nội vụ",
            "justice": "Bộ Tư pháp",
            "health": "Bộ Y tế",
            "local": "UBND các tỉnh, thành phố trực thuộc Trung ương",
            "all": "các bộ, ngành, địa phương",
        }[kind]
    return {
        "dx": ctx.dx_agency(),
        "police": ctx.police(),
        "office": f"Văn phòng UBND {ctx.lvl}",
        "home": "Sở Nội vụ",
        "justice": "Sở Tư pháp",
        "health": "Sở Y tế",
        "local": f"UBND {ctx.local_units()}",
        "all": "các sở, ban, ngành, địa phương",
    }[kind]


def instruction_sentence(ctx: Ctx) -> Sent:
    rng, d = ctx.rng, ctx.date
    pool = list(ACTIONS) + (list(ACTIONS_AFTER_MERGER) if d >= MERGER_DAY and not ctx.national else [])
    free = [a for a in pool if a[0] not in ctx.used_actions] or pool
    action, kinds = rng.choice(free)
    ctx.used_actions.add(action)
    role = rng.choice(_roles(ctx))
    first = rng.choice(kinds)
    others = [k for k in kinds if k != first] or [k for k in ("local", "office", "all") if k != first]
    a1, a2 = _agency(ctx, first), _agency(ctx, rng.choice(others))
    v = rng.randrange(5)
    if v == 4 and a1[:1].islower():
        v = 0  # an agency written in lower case ("các sở, ...") does not open a sentence
    if v in (0, 4):
        due = d + timedelta(days=rng.randint(7, 120))
        written = dmy(rng, due, year=due.year != d.year or rng.random() < 0.7)
        deadline = due.isoformat()
        if v == 0:
            text, issued_by, assignees = f"{role} yêu cầu {a1} {action} trước ngày {written}", role, [a1]
        else:
            text = f"{a1} được {role} giao {action}, báo cáo kết quả trước ngày {written}"
            issued_by, assignees = role, [a1]
    elif v == 1:
        ahead = rng.randint(0, 3)
        y, m = d.year + (d.month - 1 + ahead) // 12, (d.month - 1 + ahead) % 12 + 1
        when = f"trong tháng {m}" if y == d.year else f"trong tháng {m}/{y}"
        text = f"{role} giao {a1} chủ trì, phối hợp với {a2} {action}, hoàn thành {when}"
        issued_by, assignees, deadline = role, [a1, a2], f"{y}-{m:02d}"
    elif v == 2:
        ahead = rng.randint(1, 3)
        y, m = d.year + (d.month - 1 + ahead) // 12, (d.month - 1 + ahead) % 12 + 1
        if ctx.national:  # no invented names for the country's leaders
            text = f"{role} đề nghị {a1} {action}, muộn nhất đầu tháng {m}/{y}"
            issued_by = role
        else:
            name = ctx.people_name(role)
            text = f"Đồng chí {name}, {role} đề nghị {a1} {action}, muộn nhất đầu tháng {m}/{y}"
            issued_by = f"{role} {name}"
        assignees, deadline = [a1], f"{y}-{m:02d}"
    else:
        text = f"{role} đề nghị {a1} và {a2} {action}"
        issued_by, assignees, deadline = role, [a1, a2], None
    sent = ctx.finish(text)
    gold = ctx.instruction(issued_by, assignees, action, deadline)
    gold["evidence"] = sent.text
    sent.instr = [gold]
    return sent
