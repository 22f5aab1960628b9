"""Synthetic province reports with exact gold, for sanity-checking extraction at any scale.

`write_corpus(out, reports, seed)` writes Vietnamese reports on digital transformation and Project 06
(Đề án 06) that read like the real ones (a title, a dateline, figures in every written form, targets,
comparisons, district figures, quotes, captions, document numbers, leaders' instructions) together with
the gold a careful annotator would give them, in the contracts of spec/observations.md and
spec/directives.md. The generator is written independently of the extractor: the extractor's score on
this corpus is an honest check that it still reads what reports say, and the corpus can be as large as
a load test needs, because it is written report by report and never held in memory.

Outputs under `out/`:
- `reports/syn_<index>_<province-slug>.txt|.html`: UTF-8 text, some saved HTML pages, some UTF-16 with a
  BOM, and a few bad files (empty, binary junk, a PDF, undecodable bytes) under ordinary report names;
- `gold.jsonl` (observations), `gold_directives.jsonl` (documents and instructions, with `kind`);
- `contradictions.jsonl`: reports whose figures were made inconsistent on purpose, and how;
- `bad_files.jsonl`: the bad files, with the start of the reason a reader should give;
- `reports.jsonl`: a manifest of the readable reports (date, place, format, encoding).
Same seed, same bytes.
"""

from __future__ import annotations

import codecs
import html
import json
import random
import re
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

from sources.synthetic import templates as T
from sources.synthetic.context import Ctx, Period, Sent, cap
from sources.synthetic.directives import document_sentence, instruction_sentence
from sources.synthetic.numbers import ROMAN, dmy
from sources.synthetic.world import MERGER_DAY, Unit, World, dti_year_for, load_units_of_indicators

NATIONAL_SHARE = 0.08
HTML_SHARE = 0.05
UTF16_SHARE = 0.03
OLD_RANGE = (date(2022, 1, 1), date(2025, 6, 30))
NEW_RANGE = (date(2025, 7, 1), date(2026, 10, 31))
ALL_RANGE = (date(2022, 1, 1), date(2026, 10, 31))
_NAME = re.compile(r"^syn_\d{6}_[a-z0-9-]+\.(txt|html)$")

BAD_REASONS = {
    "empty": "empty file",
    "binary": "binary file (NUL byte at byte offset",
    "pdf": "binary file (PDF document), not a text report",
    "undecodable": "undecodable: ",
}

# Topic → (makers of the paragraph, optional closing target maker, probability of the target).
TOPICS = {
    "eid": ([T.eid], T.eid_target, 0.3),
    "cccd": ([T.cccd], None, 0.0),
    "services": ([T.services], None, 0.0),
    "online": ([T.online], T.online_target, 0.3),
    "dti": ([T.dti], None, 0.0),
    "dti_national": ([T.dti_national], None, 0.0),
    "de": ([T.digital_economy], T.digital_economy_target, 0.3),
    "de_series": ([T.digital_economy_series], None, 0.0),
    "teams": ([T.teams], None, 0.0),
    "infra": ([T.stations_5g, T.smartphones, T.fiber], T.fiber_target, 0.2),
    "utilities": ([T.civil_status, T.health_insurance, T.judicial_records], None, 0.0),
    "targets": ([T.dx_targets], T.dx_targets_target, 0.25),
    "doclist": ([T.documents_issued], None, 0.0),
    "district": ([T.district], None, 0.0),
    "natquote": ([T.national_quote], None, 0.0),
    "provquote": ([T.province_quote], None, 0.0),
}
PROVINCE_WEIGHTS = {
    "eid": 3,
    "cccd": 1.2,
    "services": 1.5,
    "online": 2,
    "dti": 1.2,
    "de": 1,
    "teams": 1,
    "infra": 1.5,
    "utilities": 1.5,
    "targets": 0.8,
    "doclist": 0.7,
    "district": 1.2,
    "natquote": 0.5,
}
NATIONAL_WEIGHTS = {
    "eid": 3,
    "cccd": 1,
    "online": 2,
    "dti_national": 1.5,
    "de": 1.2,
    "infra": 1.5,
    "utilities": 1.5,
    "provquote": 1.5,
}
BOOSTS = {
    "tong_ket": {"de": 2, "dti": 2, "targets": 2, "teams": 1.5, "dti_national": 2},
    "so_ket": {"targets": 1.5, "online": 1.5},
    "cao_diem": {"eid": 3, "district": 2, "utilities": 1.5, "cccd": 1.5},
    "dvc": {"services": 3, "online": 3, "district": 1.5},
    "de_an_06": {"eid": 2, "utilities": 2, "cccd": 2},
    "hop_nhat": {"services": 1.5, "infra": 1.5},
}
TIME_WEIGHTS = {
    "tong_ket": {"year": 6, "now": 1, "day": 1},
    "so_ket": {"half": 6, "now": 1, "day": 1},
    "giao_ban": {"quarter": 3, "month": 2, "day": 2, "now": 1},
    "cao_diem": {"day": 4, "now": 2},
}


# --- one report ------------------------------------------------------------------------------------------------


def _random_day(rng: random.Random, span: tuple[date, date]) -> date:
    return span[0] + timedelta(days=rng.randint(0, (span[1] - span[0]).days))


def _kind(ctx: Ctx) -> str:
    m, rng = ctx.date.month, ctx.rng
    options = ["cao_diem", "giao_ban", "dvc", "de_an_06"]
    if m in (12, 1, 2):
        options += ["tong_ket"] * 3
    if m in (7, 8):
        options += ["so_ket"] * 3
    if ctx.unit is not None and ctx.date >= MERGER_DAY and len(ctx.unit.members) > 1:
        options += ["hop_nhat"] * 2
    return rng.choice(options)


def _role(ctx: Ctx) -> str:
    lvl = ctx.lvl
    party = "Thành ủy" if ctx.is_city else "Tỉnh ủy"
    return ctx.rng.choice(
        (
            f"Chủ tịch UBND {lvl}",
            f"Phó Chủ tịch UBND {lvl}",
            f"Bí thư {party}",
            f"Phó Bí thư {party}",
            f"Giám đốc Công an {lvl}",
        )
    )


def _title_and_dateline(ctx: Ctx, kind: str) -> tuple[str, str]:
    rng, d = ctx.rng, ctx.date
    when = rng.choice(("Sáng", "Chiều", "Ngày", "Sáng ngày", "Chiều ngày"))
    ds = dmy(rng, d)
    q = (d.month - 1) // 3 + 1
    if ctx.national:
        y = d.year - 1 if d.month <= 2 else d.year
        body = {
            "tong_ket": (
                f"Chuyển đổi số quốc gia năm {y}: những kết quả nổi bật",
                f"Ủy ban Quốc gia về chuyển đổi số tổ chức hội nghị tổng kết công tác chuyển đổi số năm {y}",
            ),
            "so_ket": (
                f"Sơ kết 6 tháng đầu năm {d.year} về chuyển đổi số quốc gia và Đề án 06",
                f"Tổ công tác triển khai Đề án 06 của Chính phủ tổ chức hội nghị sơ kết 6 tháng đầu năm {d.year}",
            ),
            "cao_diem": (
                "Bộ Công an thông tin kết quả triển khai Đề án 06",
                "Bộ Công an tổ chức họp báo thông tin kết quả triển khai Đề án 06 trên phạm vi cả nước",
            ),
        }.get(
            kind,
            (
                rng.choice(
                    ("Phiên họp Ủy ban Quốc gia về chuyển đổi số", "Chuyển đổi số quốc gia: tăng tốc để về đích")
                ),
                "Ủy ban Quốc gia về chuyển đổi số tổ chức phiên họp thường kỳ, đánh giá kết quả chuyển đổi số "
                "quốc gia và Đề án 06",
            ),
        )
        return body[0], f"{when} {ds}, {body[1]}."
    short, name, lvl = ctx.short(), ctx.name, ctx.lvl
    if kind == "tong_ket":
        y = d.year if d.month == 12 else d.year - 1
        title = rng.choice(
            (
                f"{short} tổng kết công tác chuyển đổi số năm {y}",
                f"{short}: nhìn lại một năm chuyển đổi số và thực hiện Đề án 06",
                f"Chuyển đổi số ở {short} năm {y}: nhiều chỉ tiêu về đích",
            )
        )
        line = (
            f"UBND {lvl} {name} tổ chức hội nghị tổng kết công tác chuyển đổi số và Đề án 06 năm {y}, "
            f"triển khai nhiệm vụ năm {y + 1}"
        )
    elif kind == "so_ket":
        title = f"{short} sơ kết 6 tháng đầu năm {d.year} thực hiện Đề án 06 và chuyển đổi số"
        line = f"Ban Chỉ đạo chuyển đổi số {lvl} {name} tổ chức hội nghị sơ kết 6 tháng đầu năm {d.year}"
    elif kind == "cao_diem":
        title = rng.choice(
            (
                f"{short} ra quân cao điểm kích hoạt tài khoản định danh điện tử",
                f"{short} tăng tốc cấp, kích hoạt định danh điện tử",
            )
        )
        line = (
            f"Công an {lvl} {name} tổ chức lễ ra quân đợt cao điểm {rng.choice((30, 60, 90))} ngày đêm hỗ trợ "
            "người dân đăng ký, kích hoạt tài khoản định danh điện tử"
        )
    elif kind == "giao_ban":
        title = f"Ban Chỉ đạo chuyển đổi số {lvl} {short} họp phiên thường kỳ quý {ROMAN[q]}"
        line = (
            f"Ban Chỉ đạo chuyển đổi số {lvl} {name} tổ chức phiên họp thường kỳ quý {ROMAN[q]}/{d.year} để đánh "
            "giá tiến độ triển khai các nhiệm vụ"
        )
    elif kind == "dvc":
        title = f"{short}: dịch vụ công trực tuyến tiếp tục chuyển biến tích cực"
        line = (
            f"{ctx.dx_agency()} {lvl} {name} công bố số liệu về tình hình cung cấp và sử dụng dịch vụ công trực "
            "tuyến trên địa bàn"
        )
    elif kind == "hop_nhat":
        title = f"{short}: chuyển đổi số sau hợp nhất"
        line = (
            f"UBND {lvl} {name} tổ chức hội nghị đánh giá kết quả chuyển đổi số sau khi vận hành bộ máy {lvl} "
            "mới và mô hình chính quyền địa phương hai cấp"
        )
    else:
        title = rng.choice(
            (f"{short} đẩy mạnh triển khai Đề án 06", f"Đề án 06 tại {short}: dữ liệu dân cư phục vụ người dân")
        )
        line = f"Tổ công tác triển khai Đề án 06 {lvl} {name} tổ chức hội nghị đánh giá kết quả thực hiện Đề án 06"
    return title, f"{when} {ds}, {line}."


def _ceremony(ctx: Ctx) -> str:
    rng = ctx.rng
    if ctx.national:
        return (
            "Dự phiên họp có lãnh đạo các bộ, ngành, cơ quan Trung ương và đại diện UBND các tỉnh, thành phố trực "
            "thuộc Trung ương."
        )
    options = [
        f"Dự hội nghị có đại diện lãnh đạo các sở, ban, ngành và UBND {ctx.local_units()}.",
        "Hội nghị được tổ chức theo hình thức trực tiếp kết hợp trực tuyến đến "
        f"{rng.randint(60, 320)} điểm cầu cấp xã.",
        _chair(ctx),
    ]
    return rng.choice(options)


def _chair(ctx: Ctx) -> str:
    role = _role(ctx)
    return f"Chủ trì hội nghị có đồng chí {ctx.people_name(role)}, {role}."


def _quote(ctx: Ctx) -> str:
    rng = ctx.rng
    if ctx.national:
        # no invented names for the country's leaders
        return rng.choice(
            (
                "Phát biểu kết luận, Phó Thủ tướng Chính phủ nhấn mạnh chuyển đổi số phải lấy người dân, doanh nghiệp "
                "làm trung tâm.",
                "“Dữ liệu phải đúng, đủ, sạch, sống”, Phó Thủ tướng Chính phủ nhấn mạnh tại phiên họp.",
            )
        )
    role = _role(ctx)
    name = ctx.people_name(role)
    return rng.choice(
        (
            f"“Chuyển đổi số phải lấy người dân làm trung tâm, lấy sự hài lòng của người dân làm thước đo”, đồng chí "
            f"{name}, {role} nhấn mạnh.",
            f"Theo đồng chí {name}, {role}, kết quả đạt được là nhờ sự vào cuộc đồng bộ của cả hệ thống chính trị.",
            f"“Dữ liệu phải đúng, đủ, sạch, sống; nếu dữ liệu không sống thì mọi tiện ích trên nền tảng số đều khó "
            f"phát huy”, {role} {name} chia sẻ.",
            f"Đồng chí {name}, {role} đánh giá cao vai trò của lực lượng Công an trong triển khai Đề án 06.",
        )
    )


def _captions(ctx: Ctx, n: int) -> list[str]:
    rng = ctx.rng
    place = "" if ctx.national else f" {ctx.lvl}"
    texts = rng.sample(
        [
            "Quang cảnh hội nghị.",
            f"Lãnh đạo{place} phát biểu tại hội nghị.",
            "Cán bộ Công an hướng dẫn người dân kích hoạt tài khoản định danh điện tử.",
            f"Người dân làm thủ tục tại Trung tâm Phục vụ hành chính công{place}.",
            "Thành viên Tổ công nghệ số cộng đồng hỗ trợ người dân cài đặt ứng dụng VNeID.",
        ],
        n,
    )
    who = ("CTV", "T.L", "Minh Anh", "Hữu Hiệp", "Thu Hằng", "Quang Vinh", "Hoàng Lâm", "Trung Kiên")
    return [f"{t} Ảnh: {rng.choice(who)}" for t in texts]


def _merger_sentence(ctx: Ctx) -> str | None:
    unit = ctx.unit
    if unit is None or ctx.date < MERGER_DAY or len(unit.members) < 2:
        return None
    olds = [ctx.world.by_old[c] for c in unit.members]
    names = [f"{'thành phố' if u.is_city else 'tỉnh'} {u.name}" for u in olds]
    listed = ", ".join(names[:-1]) + " và " + names[-1]
    return f"Từ ngày 01/7/2025, {ctx.lvl} {ctx.name} mới được hình thành trên cơ sở hợp nhất {listed}."


SOLO_TOPICS = {"dti", "dti_national", "de_series", "doclist", "natquote", "provquote"}


def _group(rng: random.Random, topics: list[str]) -> list[list[str]]:
    """Topics → paragraphs of one to three topics; rankings, series and quotes stand alone."""
    groups: list[list[str]] = []
    current: list[str] = []
    size = 1
    for topic in topics:
        if topic in SOLO_TOPICS:
            groups.append([topic])
            continue
        if not current:
            size = rng.choices((1, 2, 3), weights=(0.45, 0.4, 0.15))[0]
        current.append(topic)
        if len(current) >= size:
            groups.append(current)
            current = []
    if current:
        groups.append(current)
    return groups


def _noise(ctx: Ctx) -> Sent | None:
    free = [fn for fn in (T.noise_growth, T.noise_tasks, T.noise_age) if fn.__name__ not in ctx.used_noise]
    if not free:
        return None
    fn = ctx.rng.choice(free)
    ctx.used_noise.add(fn.__name__)
    return fn(ctx)


def _paragraph(ctx: Ctx, makers: list, tails: list, weights: dict | None) -> list[Sent]:
    """Sentences of one paragraph: the first carries the frame's time phrase, the others inherit or bring their own."""
    rng = ctx.rng
    ctx.frame = ctx.pick_time(weights)
    out: list[Sent] = []
    first = True
    for j, maker in enumerate(makers):
        last = j == len(makers) - 1
        if first:
            tp: Period | None = ctx.frame
        elif last and rng.random() < 0.25:
            tp = ctx.pick_time()
        else:
            tp = None
        ctx.first = first
        made = maker(ctx, tp)
        ctx.first = False
        if made is None:
            continue
        made = made if isinstance(made, list) else [made]
        out.extend(made)
        first = False
    if not out:
        return out
    for tail in tails:
        t = tail(ctx, None)
        if t is not None:
            out.append(t)
    return out


def build_report(ctx: Ctx) -> tuple[str, list[tuple[str, str]], list[dict], list[dict], str]:
    """(title, blocks, observations, directives, kind); a block is ("p" | "caption", text)."""
    rng = ctx.rng
    kind = _kind(ctx)
    title, dateline = _title_and_dateline(ctx, kind)
    head = [dateline]
    if rng.random() < 0.7:
        head.append(_ceremony(ctx))
    blocks: list[tuple[str, str]] = []
    obs: list[dict] = []
    directives: list[dict] = []

    def add(sentences: list[Sent]) -> None:
        if not sentences:
            return
        blocks.append(("p", " ".join(s.text for s in sentences)))
        for s in sentences:
            obs.extend(s.obs)
            directives.extend(s.docs)
            directives.extend(s.instr)

    opening = [Sent(t) for t in head]
    if rng.random() < 0.25:
        doc = document_sentence(ctx)
        if doc is not None and not doc.obs:
            opening.append(doc)
    add(opening)
    merger = _merger_sentence(ctx)
    if merger is not None and (kind == "hop_nhat" or rng.random() < 0.4):
        add([Sent(merger)])

    weights = dict(NATIONAL_WEIGHTS if ctx.national else PROVINCE_WEIGHTS)
    for topic, factor in BOOSTS.get(kind, {}).items():
        if topic in weights:
            weights[topic] *= factor
    if dti_year_for(ctx.date) is None:
        weights.pop("dti", None)
        weights.pop("dti_national", None)
    if rng.random() < 0.2:
        weights["de_series"] = weights.pop("de", 1)
    k = rng.randint(4, 7)
    chosen: list[str] = []
    if ctx.contradiction:
        chosen.append("eid")
    pool = dict(weights)
    while len(chosen) < k and pool:
        names = [n for n in pool if n not in chosen]
        if not names:
            break
        pick = rng.choices(names, weights=[pool[n] for n in names])[0]
        chosen.append(pick)
        pool.pop(pick)
    if not ctx.contradiction:
        rng.shuffle(chosen)

    time_weights = TIME_WEIGHTS.get(kind)
    for group in _group(rng, chosen):
        makers: list = []
        tails: list = []
        for topic in group:
            topic_makers, tail, p_tail = TOPICS[topic]
            if len(topic_makers) > 1:
                topic_makers = rng.sample(topic_makers, rng.randint(1, len(topic_makers)))
            makers.extend(topic_makers)
            if tail is not None and rng.random() < p_tail:
                tails.append(tail)
        sentences = _paragraph(ctx, makers, tails, time_weights)
        if ctx.contradiction and "eid" in group and not ctx.contradictions:
            # the eID sentence must carry the inconsistency: retry it in a paragraph of its own
            add(sentences)
            for _ in range(5):
                sentences = _paragraph(ctx, [T.eid], [], {"now": 1, "day": 1})
                if ctx.contradictions:
                    break
        if sentences and rng.random() < 0.3:
            noise = _noise(ctx)
            if noise is not None:
                sentences.insert(rng.randint(1, len(sentences)), noise)
        add(sentences)

    if rng.random() < 0.4:
        blocks.insert(rng.randint(1, len(blocks)), ("p", _quote(ctx)))
    if rng.random() < 0.25:
        blocks.insert(rng.randint(1, len(blocks)), ("p", T.noise_causes(ctx).text))
    if "noise_growth" not in ctx.used_noise and rng.random() < 0.2:
        blocks.insert(rng.randint(1, len(blocks)), ("p", T.noise_growth(ctx).text))
    for caption in _captions(ctx, rng.choice((0, 1, 1, 2))):
        blocks.insert(rng.randint(1, len(blocks)), ("caption", caption))

    closing: list[Sent] = []
    for _ in range(rng.choice((0, 1, 1, 2))):
        doc = document_sentence(ctx)
        if doc is not None:
            closing.append(doc)
    for _ in range(rng.choice((0, 1, 2, 2, 3))):
        closing.append(instruction_sentence(ctx))
    add(closing)
    if rng.random() < 0.3 and not ctx.national:
        blocks.append(
            (
                "p",
                f"Dịp này, {rng.randint(2, 12):02d} tập thể và {rng.randint(3, 25):02d} cá nhân được "
                f"Chủ tịch UBND {ctx.lvl} tặng Bằng khen vì thành tích xuất sắc trong thực hiện Đề án 06.",
            )
        )

    if ctx.headline and not ctx.contradictions and rng.random() < 0.15:
        title = cap(
            f"{ctx.short()}: {ctx.headline[0][1]} công dân đủ điều kiện đã kích hoạt tài khoản định danh điện tử"
        )
    return title, blocks, obs, directives, kind


# --- files -----------------------------------------------------------------------------------------------------


def render_text(title: str, blocks: list[tuple[str, str]]) -> str:
    return title + "\n\n" + "\n\n".join(text for _, text in blocks) + "\n"


def render_html(ctx: Ctx, title: str, blocks: list[tuple[str, str]]) -> str:
    rng = ctx.rng
    e = html.escape
    site = "Cổng thông tin điện tử Chính phủ" if ctx.national else f"Cổng thông tin điện tử {ctx.lvl} {ctx.name}"
    menu = "".join(
        f'<li><a href="/{slug}">{label}</a></li>'
        for slug, label in (
            ("", "Trang chủ"),
            ("thoi-su", "Thời sự"),
            ("chuyen-doi-so", "Chuyển đổi số"),
            ("de-an-06", "Đề án 06"),
            ("dich-vu-cong", "Dịch vụ công"),
            ("lien-he", "Liên hệ"),
        )
    )
    body = []
    for i, (kind, text) in enumerate(blocks):
        if kind == "caption":
            body.append(
                f'<figure class="image"><img src="/uploads/{ctx.report_id}_{i}.jpg" alt="">'
                f"<figcaption>{e(text, quote=False)}</figcaption></figure>"
            )
        else:
            body.append(f"<p>{e(text, quote=False)}</p>")
    related = json.dumps(
        {"related": [{"id": rng.randint(10_000, 99_999), "title": "Tỷ lệ hồ sơ trực tuyến đạt 99% tại xã điểm"}]},
        ensure_ascii=False,
    )
    published = f"{ctx.date.isoformat()}T{rng.randint(6, 21):02d}:{rng.choice((0, 15, 30, 45)):02d}:00+07:00"
    return (
        '<!DOCTYPE html>\n<html lang="vi">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{e(title, quote=False)}</title>\n"
        f'<meta property="article:published_time" content="{published}">\n'
        f"<script>window.dataLayer = window.dataLayer || []; var pageData = {related};</script>\n"
        "</head>\n<body>\n"
        f'<header class="site-header"><div class="logo">{e(site, quote=False)}</div></header>\n'
        f'<nav class="main-menu"><ul>{menu}</ul></nav>\n'
        '<div class="container">\n<article class="article-detail">\n'
        f"<h1>{e(title, quote=False)}</h1>\n" + "\n".join(body) + "\n</article>\n"
        '<div class="related-news"><h3>Tin liên quan</h3><ul><li><a href="/tin-khac">Hội nghị trực tuyến về '
        "chuyển đổi số</a></li></ul></div>\n</div>\n"
        f"<footer>Bản quyền thuộc {e(site, quote=False)}</footer>\n</body>\n</html>\n"
    )


def bad_bytes(rng: random.Random, kind: str) -> bytes:
    if kind == "empty":
        return rng.choice((b"", b"\n", b"   \r\n\t \n"))
    if kind == "binary":
        junk = bytearray(rng.getrandbits(8) for _ in range(rng.randint(200, 3000)))
        junk[0] = 0
        for _ in range(8):
            junk[rng.randrange(len(junk))] = 0
        return bytes(junk)
    if kind == "pdf":
        stream = bytes(rng.getrandbits(8) for _ in range(rng.randint(200, 2000)))
        return (
            b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
            b"2 0 obj\n<< /Length "
            + str(len(stream)).encode()
            + b" /Filter /FlateDecode >>\nstream\n"
            + stream
            + b"\nendstream\nendobj\n%%EOF\n"
        )
    text = "Báo cáo kết quả chuyển đổi số và triển khai Đề án 06 trên địa bàn tỉnh. ".encode() * rng.randint(2, 6)
    out = bytearray(text)
    for _ in range(rng.randint(3, 12)):
        out.insert(rng.randrange(len(out)), rng.choice((0x81, 0x8D, 0x8F, 0x90, 0x9D)))
    return bytes(out)


_ENCODER = json.JSONEncoder(ensure_ascii=False)


def _dumps(obj: dict) -> str:
    return _ENCODER.encode(obj) + "\n"


def _clear(reports_dir: Path) -> None:
    """Remove files a previous run left (only ours), so that the folder holds exactly this corpus."""
    for path in reports_dir.iterdir():
        if path.is_file() and _NAME.match(path.name):
            path.unlink()


def write_corpus(
    out: Path,
    reports: int,
    seed: int = 6,
    bad_rate: float = 0.02,
    contradiction_rate: float = 0.02,
) -> str:
    """Write `reports` report files under out/reports and their gold under out; return a summary paragraph.

    Streams: each report is built, written and forgotten before the next, so memory does not grow with
    `reports`. Deterministic: the same arguments give the same bytes.
    """
    out = Path(out)
    reports_dir = out / "reports"
    reports_dir.mkdir(parents=True, exist_ok=True)
    _clear(reports_dir)
    world = World(seed)
    units_of = load_units_of_indicators()
    units = world.old_units + world.new_units
    cycle_rng = random.Random(f"{seed}:units")
    cycle: list[Unit] = []
    stats: Counter = Counter()
    indicators: Counter = Counter()
    provinces_seen: set[tuple[str, str]] = set()

    files = {
        name: (out / name).open("w", encoding="utf-8", newline="\n")
        for name in ("gold.jsonl", "gold_directives.jsonl", "contradictions.jsonl", "bad_files.jsonl", "reports.jsonl")
    }
    try:
        for i in range(reports):
            rng = random.Random(f"{seed}:report:{i}")
            unit: Unit | None
            if rng.random() < NATIONAL_SHARE:
                unit = None
                day = _random_day(rng, ALL_RANGE)
                slug = "toan-quoc"
            else:
                if not cycle:
                    cycle = list(units)
                    cycle_rng.shuffle(cycle)
                unit = cycle.pop()
                day = _random_day(rng, OLD_RANGE if unit.era == "old" else NEW_RANGE)
                slug = unit.slug
            report_id = f"syn_{i:06d}_{slug}"
            if rng.random() < bad_rate:
                kind = rng.choice(tuple(BAD_REASONS))
                name = f"{report_id}.txt"
                (reports_dir / name).write_bytes(bad_bytes(rng, kind))
                files["bad_files.jsonl"].write(
                    _dumps(
                        {"report_id": report_id, "file": f"reports/{name}", "kind": kind, "reason": BAD_REASONS[kind]}
                    )
                )
                stats["bad"] += 1
                stats[f"bad_{kind}"] += 1
                continue
            contradiction = None
            if rng.random() < contradiction_rate:
                contradiction = rng.choice(("activated_gt_eligible", "rate_mismatch"))
            ctx = Ctx(world, units_of, rng, report_id, day, unit, contradiction)
            title, blocks, obs, directives, kind = build_report(ctx)
            r = rng.random()
            if r < HTML_SHARE:
                fmt, encoding, name = "html", "utf-8", f"{report_id}.html"
                data = render_html(ctx, title, blocks).encode("utf-8")
            elif r < HTML_SHARE + UTF16_SHARE:
                fmt, encoding, name = "text", "utf-16", f"{report_id}.txt"
                data = codecs.BOM_UTF16_LE + render_text(title, blocks).encode("utf-16-le")
            else:
                fmt, encoding, name = "text", "utf-8", f"{report_id}.txt"
                data = render_text(title, blocks).encode("utf-8")
            (reports_dir / name).write_bytes(data)
            for o in obs:
                files["gold.jsonl"].write(_dumps(o))
                indicators[o["indicator"]] += 1
                stats["targets"] += o["qualifier"] == "target"
                stats["sub_province"] += o["geo_level"] in {"district", "commune"}
            for dline in directives:
                files["gold_directives.jsonl"].write(_dumps(dline))
                stats[dline["kind"]] += 1
            for c in ctx.contradictions:
                files["contradictions.jsonl"].write(_dumps(c))
            stats["contradictions"] += len(ctx.contradictions)
            files["reports.jsonl"].write(
                _dumps(
                    {
                        "report_id": report_id,
                        "file": f"reports/{name}",
                        "format": fmt,
                        "encoding": encoding,
                        "date": day.isoformat(),
                        "scope": "national" if unit is None else "province",
                        "geo_code": ctx.geo_code,
                        "province": None if unit is None else unit.name,
                        "kind": kind,
                    }
                )
            )
            stats["good"] += 1
            stats[f"{fmt}_{encoding}"] += 1
            stats["national" if unit is None else ("post_merger" if unit.era == "new" else "pre_merger")] += 1
            stats["observations"] += len(obs)
            if unit is not None:
                provinces_seen.add((unit.era, unit.code))
    finally:
        for f in files.values():
            f.close()

    return (
        f"Wrote {reports} files to {reports_dir} (seed {seed}): {stats['good']} readable reports "
        f"({stats['text_utf-8']} UTF-8 text, {stats['html_utf-8']} HTML pages, {stats['text_utf-16']} UTF-16 with "
        f"BOM; {stats['pre_merger']} from the 63 pre-merger provinces, {stats['post_merger']} from the 34 post-merger "
        f"units, {stats['national']} national; {len(provinces_seen)} of 97 units covered) and {stats['bad']} bad files "
        f"({stats['bad_empty']} empty, {stats['bad_binary']} binary, {stats['bad_pdf']} PDF, "
        f"{stats['bad_undecodable']} undecodable). Gold: {stats['observations']} observations over "
        f"{len(indicators)} indicators ({stats['targets']} targets, {stats['sub_province']} district or commune "
        f"figures), {stats['document']} document references and {stats['instruction']} instructions; "
        f"{stats['contradictions']} reports made inconsistent on purpose."
    )


__all__ = ["write_corpus"]
