"""Sentence templates, topic by topic. Each maker writes one sentence (or a few) and its gold.

A maker is `maker(ctx, tp) -> Sent | list[Sent] | None`: `tp` is the time phrase to attach (None: the
sentence inherits its paragraph's frame); None means the topic does not apply at the report's date
(5G before its launch, judicial-record requests before VNeID offered them, ...).
"""

from __future__ import annotations

from datetime import date

from sources.synthetic.context import Ctx, Period, S, Sent, cap
from sources.synthetic.numbers import Fig, comma, count, dots, exact_rate, pct_text, percent, rate_fig, score
from sources.synthetic.world import MERGER_DAY, dti_year_for

PILLARS = (
    ("chính quyền số", "dti_rank_digital_government"),
    ("kinh tế số", "dti_rank_digital_economy"),
    ("xã hội số", "dti_rank_digital_society"),
)


def _pick(ctx: Ctx, variants: list) -> object:
    return variants[ctx.rng.randrange(len(variants))]


def _cnt(ctx: Ctx, n: int, exact: bool = False) -> Fig:
    return count(ctx.rng, n, exact=exact)


def _pc(ctx: Ctx, x: float, exact: bool = False) -> Fig:
    return percent(ctx.rng, x, exact=exact)


def _year_end(y: int) -> date:
    return date(y, 12, 31)


def _compare_year(ctx: Ctx, asof: date) -> int | None:
    years = list(range(max(2022, asof.year - 2), asof.year))
    return ctx.rng.choice(years) if years else None


def _target_year(ctx: Ctx) -> int:
    return ctx.date.year if ctx.date.month <= 9 else ctx.date.year + 1


def _target_text(ctx: Ctx, p: int, unit: str = "%") -> str:
    return ctx.rng.choice((f"{p}{unit}", f"ít nhất {p}{unit}", f"tối thiểu {p}{unit}", f"trên {p}{unit}"))


def _unit_label(ctx: Ctx, unit) -> str:
    """How a national report names a province."""
    if unit.code == "79":
        return ctx.rng.choice(("TP Hồ Chí Minh", "TP.HCM"))
    if unit.code == "46" and ctx.date >= date(2025, 1, 1):
        return "Huế"
    return unit.name


def _geo(unit) -> tuple[str, str, None]:
    return (unit.code, "province", None)


# --- electronic identity (Đề án 06) ---------------------------------------------------------------------------


def eid(ctx: Ctx, tp: Period | None) -> Sent | None:
    rng, w, m = ctx.rng, ctx.world, ctx.members
    d = ctx.asof(tp)
    elig, act, iss = w.eligible(m, d), w.activated(m, d), w.issued(m, d)
    if act < 200:
        return None
    rate = exact_rate(act, elig)
    contra = ctx.contradiction if not ctx.contradictions else None
    stated_act, stated_rate = act, rate
    if contra == "activated_gt_eligible":
        stated_act = elig + max(1, round(elig * rng.uniform(0.01, 0.08)))
    elif contra == "rate_mismatch":
        delta = rng.uniform(6, 15)
        stated_rate = round(rate + delta, 1) if rate + delta <= 99.9 else round(rate - delta, 1)
    act_s = S(Fig(dots(stated_act), stated_act), "eid_accounts_activated", den=elig)
    act_free = S(count(rng, act, plain_round=False), "eid_accounts_activated")
    elig_s = S(Fig(dots(elig), elig), "eid_eligible_citizens")
    elig_x = S(Fig(dots(elig), elig))
    rate_s = S(rate_fig(stated_rate), "eid_activation_rate")
    iss_s = S(Fig(dots(iss), iss), "eid_accounts_issued")  # exact: it stands beside the activated count
    iss_free = S(_cnt(ctx, iss), "eid_accounts_issued")
    kw = {"all": ctx.all(), "area": ctx.area(), "of": ctx.of(), "short": ctx.short(), "full": ctx.full()}
    variants = [1, 2, 4, 5] if contra else [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]
    if ctx.national:
        variants = [v for v in variants if v != 6]
    v = _pick(ctx, variants)
    if v == 9:
        y0 = _compare_year(ctx, d)
        if y0 is None:
            v = 8
        else:
            r0 = exact_rate(w.activated(m, _year_end(y0)), w.eligible(m, _year_end(y0)))
            if r0 >= rate or r0 < 1:
                v = 8
    if contra:
        ctx.contradictions.append(
            {
                "report_id": ctx.report_id,
                "kind": contra,
                "geo_code": ctx.geo_code,
                "stated": {"eid_accounts_activated": stated_act, "eid_activation_rate": stated_rate},
                "eligible": elig,
                "consistent": {"eid_accounts_activated": act, "eid_activation_rate": rate},
            }
        )
    elif v in (1, 2, 3, 4, 5):
        ctx.headline.append(("eid_activation_rate", rate_s.fig.text))
    if v == 1:
        t = (
            "{all} đã thu nhận {iss} hồ sơ đề nghị cấp tài khoản định danh điện tử, kích hoạt {act} tài khoản "
            "trên tổng số {elig} công dân đủ điều kiện, đạt tỷ lệ {rate}"
        )
        return ctx.say(t, tp, iss=iss_s, act=act_s, elig=elig_s, rate=rate_s, **kw)
    if v == 2:
        return ctx.say(
            "{short} có {act}/{elig} tài khoản định danh điện tử được kích hoạt, đạt tỷ lệ {rate}",
            tp,
            act=act_s,
            elig=elig_x,
            rate=rate_s,
            **kw,
        )
    if v == 3:
        act_s.den = None
        return ctx.say(
            "{act} tài khoản định danh điện tử mức 2 đã được kích hoạt {area}, đạt {rate} số công dân từ 14 tuổi "
            "trở lên",
            tp,
            act=act_s,
            rate=rate_s,
            **kw,
        )
    if v == 4:
        return ctx.say(
            "Tỷ lệ kích hoạt tài khoản định danh điện tử {of} đạt {rate}, tương ứng {act} tài khoản trên tổng số "
            "{elig} công dân đủ điều kiện",
            tp,
            rate=rate_s,
            act=act_s,
            elig=elig_s,
            **kw,
        )
    if v == 5:
        return ctx.say(
            "Số tài khoản định danh điện tử được kích hoạt {area} là {act}, bằng {rate} tổng số {elig} công dân thuộc "
            "diện cấp",
            tp,
            act=act_s,
            rate=rate_s,
            elig=elig_s,
            **kw,
        )
    if v == 6:
        return ctx.say(
            "Công an {lvl} đã cấp {iss} tài khoản định danh điện tử, đã kích hoạt {act} tài khoản",
            tp,
            iss=iss_s,
            act=act_free,
            lvl=ctx.lvl,
        )
    if v == 7:
        return ctx.say(
            "{all} hiện có {elig} công dân từ đủ 14 tuổi trở lên thuộc diện cấp tài khoản định danh điện tử",
            tp,
            elig=S(_cnt(ctx, elig), "eid_eligible_citizens"),
            **kw,
        )
    if v == 8:
        return ctx.say(
            "Tỷ lệ công dân đủ điều kiện đã kích hoạt tài khoản định danh điện tử {of} đạt {rate}",
            tp,
            rate=S(_pc(ctx, rate), "eid_activation_rate"),
            **kw,
        )
    if v == 9:
        return ctx.say(
            "Tỷ lệ kích hoạt tài khoản định danh điện tử {of} tăng từ {r0} (năm {y0}) lên {rate}",
            tp,
            r0=S(rate_fig(r0), "eid_activation_rate", period=str(y0)),
            y0=str(y0),
            rate=rate_s,
            **kw,
        )
    if v == 10:
        return ctx.say("{iss} hồ sơ cấp tài khoản định danh điện tử đã được thu nhận {area}", tp, iss=iss_free, **kw)
    return ctx.say(
        "Lực lượng Công an đã hướng dẫn, thu nhận {iss} hồ sơ định danh điện tử mức 2 cho công dân {area}; số tài "
        "khoản đã kích hoạt là {act}",
        tp,
        iss=iss_s,
        act=act_free,
        **kw,
    )


def eid_target(ctx: Ctx, tp: Period | None) -> Sent | None:
    yt = _target_year(ctx)
    current = exact_rate(ctx.world.activated(ctx.members, ctx.date), ctx.world.eligible(ctx.members, ctx.date))
    goals = [p for p in (50, 60, 70, 80, 85, 90, 95, 98) if current < p <= current + 40]
    if not goals:
        return None
    p = ctx.rng.choice(goals)
    tgt = S(Fig(_target_text(ctx, p), p), "eid_activation_rate", period=str(yt), qualifier="target")
    t = _pick(
        ctx,
        [
            "{full} phấn đấu đến hết năm {yt} có {tgt} công dân đủ điều kiện kích hoạt tài khoản định danh điện tử",
            "Mục tiêu đến cuối năm {yt}, tỷ lệ kích hoạt tài khoản định danh điện tử {of} đạt {tgt}",
            "Phấn đấu đến hết năm {yt}, {tgt} người dân đủ điều kiện được kích hoạt tài khoản định danh điện tử",
        ],
    )
    return ctx.say(t, None, full=ctx.full(), of=ctx.of(), yt=str(yt), tgt=tgt)


def cccd(ctx: Ctx, tp: Period | None) -> Sent | None:
    w, m = ctx.world, ctx.members
    d = ctx.asof(tp)
    need, cards = w.eligible(m, d), w.cards(m, d)
    rate = exact_rate(cards, need)
    if d < date(2024, 7, 1):
        card = ctx.rng.choice(("thẻ Căn cước công dân gắn chip", "thẻ CCCD gắn chip", "thẻ căn cước công dân gắn chíp"))
    else:
        card = ctx.rng.choice(("thẻ căn cước", "thẻ Căn cước"))
    cards_s = S(Fig(dots(cards), cards), "cccd_cards_issued")
    rate_s = S(rate_fig(rate), "cccd_issuance_rate")
    kw = {"all": ctx.all(), "area": ctx.area(), "full": ctx.full(), "card": card}
    variants = [1, 2, 3, 4, 6] + ([5] if cards == need else [])
    v = _pick(ctx, variants)
    if v == 1:
        cards_s.den = need
        return ctx.say(
            "{all} đã cấp {cards}/{need} {card}, đạt tỷ lệ {rate}",
            tp,
            cards=cards_s,
            need=S(Fig(dots(need), need)),
            rate=rate_s,
            **kw,
        )
    if v == 2:
        subject = ctx.all() if ctx.national else ctx.police()
        return ctx.say(
            "{subject} đã hoàn thành cấp {cards} {card} cho công dân đủ điều kiện",
            tp,
            subject=subject,
            cards=S(_cnt(ctx, cards), "cccd_cards_issued"),
            **kw,
        )
    if v == 3:
        return ctx.say(
            "Tỷ lệ công dân đủ điều kiện được cấp {card} {area} đạt {rate}",
            tp,
            rate=S(_pc(ctx, rate), "cccd_issuance_rate"),
            **kw,
        )
    if v == 4:
        return ctx.say(
            "{cards} {card} đã được trả cho người dân, tương đương {rate} số công dân trong độ tuổi phải làm căn cước",
            tp,
            cards=cards_s,
            rate=rate_s,
            **kw,
        )
    if v == 6:
        return ctx.say(
            "Số {card} đã cấp {area} đạt {cards}, bảo đảm nhu cầu giao dịch của người dân",
            tp,
            cards=S(_cnt(ctx, cards), "cccd_cards_issued"),
            **kw,
        )
    return ctx.say(
        "{full} đã hoàn thành cấp {card} cho {rate} công dân đủ điều kiện",
        tp,
        rate=S(Fig("100%", 100), "cccd_issuance_rate"),
        **kw,
    )


# --- public services -------------------------------------------------------------------------------------


def online(ctx: Ctx, tp: Period | None) -> Sent | None:
    w, m, rng = ctx.world, ctx.members, ctx.rng
    d = ctx.asof(tp)
    r1, r2 = w.online_rate(m, d), w.full_rate(m, d)
    kw = {"of": ctx.of(), "area": ctx.area()}
    on = "online_application_rate"
    full = "online_full_process_application_rate"
    v = rng.randrange(8)
    if v in (4, 5):
        y0 = _compare_year(ctx, d)
        if y0 is not None:
            fn = w.online_rate if v == 4 else w.full_rate
            v0, v1 = round(fn(m, _year_end(y0)), 1), round(r1 if v == 4 else r2, 1)
            if v0 < v1:
                label = "hồ sơ trực tuyến" if v == 4 else "hồ sơ trực tuyến toàn trình"
                return ctx.say(
                    "Tỷ lệ {label} {of} tăng từ {r0} (năm {y0}) lên {r1}",
                    tp,
                    label=label,
                    y0=str(y0),
                    r0=S(rate_fig(v0), on if v == 4 else full, period=str(y0)),
                    r1=S(rate_fig(v1), on if v == 4 else full),
                    **kw,
                )
        v = 0
    if v == 0:
        return ctx.say(
            "Tỷ lệ hồ sơ tiếp nhận trực tuyến {of} đạt {r1}, tỷ lệ hồ sơ trực tuyến toàn trình đạt {r2}",
            tp,
            r1=S(_pc(ctx, r1), on),
            r2=S(_pc(ctx, r2), full),
            **kw,
        )
    if v == 1:
        return ctx.say(
            "Tỷ lệ hồ sơ trực tuyến toàn trình đạt {r2}, trong khi tỷ lệ hồ sơ nộp trực tuyến nói chung đạt {r1}",
            tp,
            r2=S(_pc(ctx, r2), full),
            r1=S(_pc(ctx, r1), on),
            **kw,
        )
    if v == 2:
        return ctx.say(
            "{r1} hồ sơ thủ tục hành chính {area} được tiếp nhận trực tuyến", tp, r1=S(_pc(ctx, r1), on), **kw
        )
    if v == 3:
        return ctx.say(
            "{r2} hồ sơ được giải quyết trực tuyến toàn trình, người dân không phải đến nộp trực tiếp",
            tp,
            r2=S(_pc(ctx, r2), full),
            **kw,
        )
    if v == 6:
        return ctx.say(
            "Số hồ sơ tiếp nhận trực tuyến chiếm {r1} tổng số hồ sơ thủ tục hành chính {of}",
            tp,
            r1=S(_pc(ctx, r1, exact=True), on),
            **kw,
        )
    return ctx.say(
        "Hồ sơ trực tuyến toàn trình chiếm {r2} tổng số hồ sơ giải quyết thủ tục hành chính {of}",
        tp,
        r2=S(_pc(ctx, r2, exact=True), full),
        **kw,
    )


def online_target(ctx: Ctx, tp: Period | None) -> Sent | None:
    yt = _target_year(ctx)
    rng, w = ctx.rng, ctx.world
    if rng.random() < 0.5:
        ind, label = "online_full_process_application_rate", "toàn trình"
        current, options = w.full_rate(ctx.members, ctx.date), (30, 40, 50, 60, 70, 80)
    else:
        ind, label = "online_application_rate", "tiếp nhận trực tuyến"
        current, options = w.online_rate(ctx.members, ctx.date), (50, 60, 70, 80, 90, 95)
    goals = [p for p in options if current + 2 < p <= current + 35]
    if not goals or (ind, "target") in ctx.used:
        return None
    ctx.used.add((ind, "target"))
    p = rng.choice(goals)
    tgt = S(Fig(_target_text(ctx, p), p), ind, period=str(yt), qualifier="target")
    t = _pick(
        ctx,
        [
            "Phấn đấu đến hết năm {yt}, tỷ lệ hồ sơ {label} {of} đạt {tgt}",
            "Mục tiêu năm {yt} là tỷ lệ hồ sơ {label} đạt {tgt}",
            "{full} đặt mục tiêu đến cuối năm {yt} có {tgt} hồ sơ thủ tục hành chính là hồ sơ {label}",
        ],
    )
    return ctx.say(t, None, yt=str(yt), label=label, of=ctx.of(), full=ctx.full(), tgt=tgt)


def services(ctx: Ctx, tp: Period | None) -> Sent | None:
    svc = ctx.world.services(ctx.members, ctx.asof(tp))
    rng = ctx.rng
    tot = S(Fig(dots(svc.total), svc.total), "public_services_total")
    full = S(Fig(dots(svc.full), svc.full), "online_services_full")
    part = S(Fig(dots(svc.partial), svc.partial), "online_services_partial")
    info = S(Fig(dots(svc.information), svc.information), "information_services")
    kw = {"of": ctx.of(), "full_name": ctx.full()}
    v = rng.randrange(8)
    if v in (0, 2):
        pieces = [
            ("{full} dịch vụ công trực tuyến toàn trình", "full", full),
            ("{part} dịch vụ công trực tuyến một phần", "part", part),
            ("{info} dịch vụ cung cấp thông tin", "info", info),
        ]
        rng.shuffle(pieces)
        listed = ", ".join(p[0] for p in pieces[:-1]) + " và " + pieces[-1][0]
        slots = {p[1]: p[2] for p in pieces}
        if v == 0:
            return ctx.say(
                "Hệ thống thông tin giải quyết thủ tục hành chính {of} hiện có {tot} dịch vụ công, gồm " + listed,
                tp,
                tot=tot,
                **slots,
                **kw,
            )
        return ctx.say(cap(listed) + " đã được công khai trên Cổng dịch vụ công {of}", tp, **slots, **kw)
    if v == 1:
        return ctx.say(
            "Trong số {tot} thủ tục hành chính, {full_name} đang cung cấp {full} dịch vụ công trực tuyến "
            "toàn trình và {part} dịch vụ công trực tuyến một phần",
            tp,
            tot=tot,
            full=full,
            part=part,
            **kw,
        )
    if v == 3:
        return ctx.say(
            "Trong tổng số {tot} thủ tục hành chính thuộc thẩm quyền giải quyết, có {info} thủ tục chỉ cung "
            "cấp thông tin, {part} dịch vụ trực tuyến một phần, còn lại {full} dịch vụ trực tuyến toàn trình",
            tp,
            tot=tot,
            info=info,
            part=part,
            full=full,
            **kw,
        )
    if v == 4:
        return ctx.say(
            "Số dịch vụ công trực tuyến toàn trình {of} đã nâng lên {full}",
            tp,
            full=S(_cnt(ctx, svc.full), "online_services_full"),
            **kw,
        )
    if v == 5:
        return ctx.say(
            "Bộ thủ tục hành chính {of} hiện có {tot} thủ tục, được công khai đầy đủ trên Cổng dịch vụ công",
            tp,
            tot=tot,
            **kw,
        )
    if v == 6:
        return ctx.say(
            "Hệ thống đã đồng bộ {tot} thủ tục hành chính, trong đó {info} thủ tục chỉ ở mức cung cấp thông "
            "tin trực tuyến",
            tp,
            tot=tot,
            info=info,
            **kw,
        )
    return ctx.say(
        "{info} thủ tục hành chính {of} chỉ ở mức cung cấp thông tin, {part} thủ tục là dịch vụ công trực "
        "tuyến một phần",
        tp,
        info=info,
        part=part,
        **kw,
    )


# --- rankings ---------------------------------------------------------------------------------------------


def dti(ctx: Ctx, tp: Period | None) -> list[Sent] | None:
    year = dti_year_for(ctx.date)
    if year is None or ctx.national:
        return None
    w, rng = ctx.world, ctx.rng
    e = w.dti(year)[ctx.geo_code]
    ctx.own(Period(None, None, str(year), _year_end(year)))
    py = str(year)
    n = str(e.of)
    rank = S(Fig(str(e.rank), e.rank), "dti_rank", den=e.of, period=py)
    rank_free = S(Fig(str(e.rank), e.rank), "dti_rank", period=py)
    sc = S(score(rng, e.score), "dti_score", period=py)
    kw = {"of": ctx.of(), "short": ctx.short(), "full": ctx.full(), "y": py, "n": n}
    variants = [1, 2, 3, 5, 6, 7, 8] + ([4, 4] if e.rank == 1 else [])
    v = _pick(ctx, variants)
    if v == 1:
        move = ""
        prev = w.dti(year - 1).get(ctx.geo_code) if year - 1 >= 2020 and (year <= 2024 or year - 1 >= 2025) else None
        if prev is not None:
            delta = prev.rank - e.rank
            move = (
                f", tăng {delta} bậc so với năm {year - 1}"
                if delta > 0
                else f", giảm {-delta} bậc so với năm {year - 1}"
                if delta < 0
                else f", giữ nguyên vị trí so với năm {year - 1}"
            )
        first = ctx.say("Chỉ số chuyển đổi số (DTI) năm {y} {of} xếp thứ {rank}/{n}" + move, None, rank=rank, **kw)
    elif v == 2:
        first = ctx.say(
            "Theo kết quả đánh giá DTI năm {y}, {short} đạt {sc} điểm, đứng thứ {rank} trong {n} tỉnh, thành phố",
            None,
            sc=sc,
            rank=rank,
            **kw,
        )
    elif v == 3:
        first = ctx.say("Năm {y}, chỉ số DTI {of} đứng thứ {rank} cả nước", None, rank=rank_free, **kw)
    elif v == 4:
        one = S(Fig("dẫn đầu", 1), "dti_rank", period=py)
        first = ctx.say("{full} tiếp tục {one} cả nước về chỉ số chuyển đổi số cấp tỉnh năm {y}", None, one=one, **kw)
    elif v == 5:
        group = next(g for g in (10, 15, 20, 30, e.of) if e.rank <= g)
        tail = (
            f"đưa {{short}} vào nhóm {group} địa phương có chỉ số cao nhất"
            if group < e.of
            else "cho thấy {short} còn nhiều việc phải làm"
        )
        first = ctx.say("Vị trí thứ {rank}/{n} trên bảng xếp hạng DTI năm {y} " + tail, None, rank=rank, **kw)
    elif v == 6:
        first = ctx.say("Điểm DTI năm {y} {of} đạt {sc}, xếp hạng {rank}/{n}", None, sc=sc, rank=rank, **kw)
    elif v == 7:
        first = ctx.say(
            "Giá trị chỉ số DTI năm {y} {of} là {sc}, xếp thứ {rank}/{n} tỉnh, thành phố", None, sc=sc, rank=rank, **kw
        )
    else:
        first = ctx.say("{sc} điểm là giá trị chỉ số DTI năm {y} {of}", None, sc=sc, **kw)
    out = [first]
    if rng.random() < 0.7:
        out.append(_pillars(ctx, e.pillars, e.of, py))
    return out


def _pillars(ctx: Ctx, ranks: tuple[int, int, int], of: int, py: str) -> Sent:
    """The three pillar ranks of the DTI, in a shuffled order; the text's own wording fixes the denominators."""
    rng = ctx.rng
    if ranks == (1, 1, 1):
        return _all_first(ctx, py)
    order = list(range(3))
    rng.shuffle(order)
    v = rng.randrange(4)
    dens = ((None, None, None), (of, of, of), (of, of, of), (of, of, None))[v]
    slots = {
        f"r{j}": S(Fig(str(ranks[i]), ranks[i]), PILLARS[i][1], den=dens[j], period=py) for j, i in enumerate(order)
    }
    names = {f"n{j}": PILLARS[i][0] for j, i in enumerate(order)}
    t = (
        "Trong đó, trụ cột {n0} xếp thứ {r0}, {n1} xếp thứ {r1} và {n2} xếp thứ {r2}",
        "Ba trụ cột {n0}, {n1} và {n2} lần lượt đứng thứ {r0}, {r1} và {r2} trong {n} tỉnh, thành phố",
        "Ở các trụ cột thành phần, {short} xếp thứ {r0}/{n} về {n0}, thứ {r1}/{n} về {n1} và thứ {r2}/{n} về {n2}",
        "Chỉ số {n0} đứng thứ {r0}/{n}, {n1} thứ {r1}/{n}, còn {n2} ở vị trí thứ {r2}",
    )[v]
    return ctx.say(t, None, n=str(of), short=ctx.short(), **names, **slots)


def _all_first(ctx: Ctx, py: str) -> Sent:
    obs = [ctx.ob(ind, 1, None, py, None) for _, ind in PILLARS]
    return ctx.finish(f"{ctx.short()} dẫn đầu cả 3 trụ cột chính quyền số, kinh tế số và xã hội số", obs)


def dti_national(ctx: Ctx, tp: Period | None) -> list[Sent] | None:
    year = dti_year_for(ctx.date)
    if year is None or not ctx.national:
        return None
    w, rng = ctx.world, ctx.rng
    ctx.own(Period(None, None, str(year), _year_end(year)))
    py = str(year)
    units = {u.code: u for u in (w.old_units if year <= 2024 else w.new_units)}
    table = w.dti(year)
    order = sorted(table, key=lambda c: table[c].rank)
    a, b, c = (units[code] for code in order[:3])
    out = []
    sc = S(score(rng, w.national_dti_score(year)), "dti_score", period=py)
    out.append(
        ctx.say(
            _pick(ctx, ["Năm {y}, giá trị DTI quốc gia đạt {sc}", "Giá trị chỉ số DTI quốc gia năm {y} là {sc}"]),
            None,
            y=py,
            sc=sc,
        )
    )
    ra = S(Fig("Dẫn đầu", 1), "dti_rank", period=py, geo=_geo(a))
    rb = S(Fig(_unit_label(ctx, b), 2), "dti_rank", period=py, geo=_geo(b))
    rc = S(Fig(_unit_label(ctx, c), 3), "dti_rank", period=py, geo=_geo(c))
    if rng.random() < 0.5:
        out.append(
            ctx.say(
                "{ra} bảng xếp hạng DTI cấp tỉnh năm {y} là {a}, tiếp theo lần lượt là {rb} và {rc}",
                None,
                ra=ra,
                a=_unit_label(ctx, a),
                rb=rb,
                rc=rc,
                y=py,
            )
        )
    else:
        ra = S(Fig(_unit_label(ctx, a), 1), "dti_rank", period=py, geo=_geo(a))
        out.append(
            ctx.say("Ba địa phương dẫn đầu DTI năm {y} lần lượt là {ra}, {rb} và {rc}", None, ra=ra, rb=rb, rc=rc, y=py)
        )
    if rng.random() < 0.5:
        sa = S(score(rng, table[a.code].score), "dti_score", period=py, geo=_geo(a))
        out.append(ctx.say("{a} đạt {sa} điểm, cao nhất cả nước", None, a=_unit_label(ctx, a), sa=sa))
    return out


# --- digital economy ---------------------------------------------------------------------------------------


def _de(ctx: Ctx, year: int) -> float:
    return ctx.world.digital_economy(None if ctx.national else ctx.members, year)


def digital_economy(ctx: Ctx, tp: Period | None) -> Sent | None:
    d = ctx.asof(tp)
    x = _de(ctx, d.year)
    gdp = "GDP" if ctx.national else "GRDP"
    kw = {"of": ctx.of(), "gdp": gdp}
    ind = "digital_economy_share"
    v = ctx.rng.randrange(4)
    if v == 3:
        y0 = _compare_year(ctx, d)
        if y0 is not None:
            x0 = _de(ctx, y0)
            if x0 < x:
                return ctx.say(
                    "Tỷ trọng kinh tế số trong {gdp} {of} tăng từ {x0} (năm {y0}) lên {x}",
                    tp,
                    y0=str(y0),
                    x0=S(Fig(pct_text(x0, 2), x0), ind, period=str(y0)),
                    x=S(Fig(pct_text(x, 2), x), ind),
                    **kw,
                )
        v = 0
    if v == 0:
        return ctx.say(
            "Tỷ trọng kinh tế số trong {gdp} {of} ước đạt {x}",
            tp,
            x=S(Fig(pct_text(x, 2), x), ind, qualifier="approx"),
            **kw,
        )
    if v == 1:
        return ctx.say("Kinh tế số chiếm {x} {gdp} {of}", tp, x=S(_pc(ctx, x), ind), **kw)
    return ctx.say("{x} là tỷ trọng của kinh tế số trong {gdp} {of}", tp, x=S(Fig(pct_text(x, 2), x), ind), **kw)


def digital_economy_series(ctx: Ctx, tp: Period | None) -> Sent | None:
    last = ctx.date.year - 1
    years = [last - 2, last - 1, last]
    if years[0] < 2020:
        return None
    ind = "digital_economy_share"
    slots = {f"x{i}": S(Fig(pct_text(_de(ctx, y), 2), _de(ctx, y)), ind, period=str(y)) for i, y in enumerate(years)}
    ctx.own(Period(None, None, str(last), _year_end(last)))
    gdp = "GDP" if ctx.national else "GRDP"
    t = _pick(
        ctx,
        [
            "Tỷ trọng kinh tế số trong {gdp} {of} các năm {y0}, {y1} và {y2} lần lượt là {x0}, {x1} và {x2}",
            "Giai đoạn {y0} - {y2}, kinh tế số lần lượt chiếm {x0}, {x1} và {x2} {gdp} {of}",
        ],
    )
    return ctx.say(t, None, gdp=gdp, of=ctx.of(), y0=str(years[0]), y1=str(years[1]), y2=str(years[2]), **slots)


def digital_economy_target(ctx: Ctx, tp: Period | None) -> Sent | None:
    yt = 2025 if ctx.date.year <= 2025 and ctx.rng.random() < 0.6 else 2030
    current = _de(ctx, ctx.date.year)
    goals = [p for p in ((10, 15, 20, 25, 30, 35) if yt == 2030 else (10, 12, 15, 20, 25)) if p > current + 1]
    if not goals:
        return None
    p = ctx.rng.choice(goals[:3])
    gdp = "GDP" if ctx.national else "GRDP"
    tgt = S(
        Fig(ctx.rng.choice((f"{p}%", f"tối thiểu {p}%", f"từ {p}%")), p),
        "digital_economy_share",
        period=str(yt),
        qualifier="target",
    )
    t = _pick(
        ctx,
        [
            "Phấn đấu đến năm {yt}, kinh tế số chiếm {tgt} {gdp}",
            "Mục tiêu đến năm {yt}, tỷ trọng kinh tế số trong {gdp} {of} đạt {tgt}",
        ],
    )
    return ctx.say(t, None, yt=str(yt), tgt=tgt, gdp=gdp, of=ctx.of())


# --- society and infrastructure ------------------------------------------------------------------------------


def teams(ctx: Ctx, tp: Period | None) -> Sent | None:
    d = ctx.asof(tp)
    if d < date(2022, 3, 1):
        return None
    w, m = ctx.world, ctx.members
    nt, nm = w.teams(m, d), w.team_members(m, d)
    tt = S(_cnt(ctx, nt), "community_digital_teams")
    mm = S(_cnt(ctx, nm), "community_digital_team_members")
    kw = {"all": ctx.all(), "area": ctx.area(), "full": ctx.full()}
    v = ctx.rng.randrange(6)
    if v == 0:
        return ctx.say("{all} đã thành lập {t} tổ công nghệ số cộng đồng với {m} thành viên", tp, t=tt, m=mm, **kw)
    if v == 1:
        return ctx.say(
            "{t} Tổ công nghệ số cộng đồng với {m} thành viên đã được kiện toàn tại các thôn, tổ dân phố",
            tp,
            t=tt,
            m=mm,
            **kw,
        )
    if v == 2:
        return ctx.say(
            "Số thành viên Tổ công nghệ số cộng đồng {area} là {m} người, thuộc {t} tổ", tp, t=tt, m=mm, **kw
        )
    if v == 3:
        communes = max(1, nt // ctx.rng.randint(6, 12))
        return ctx.say(
            "{full} đã lập {t} tổ công nghệ số cộng đồng, trong đó {c} tổ cấp xã và {r} tổ ở thôn, bản, tổ dân phố",
            tp,
            t=S(Fig(dots(nt), nt), "community_digital_teams"),
            c=dots(communes),
            r=dots(nt - communes),
            **kw,
        )
    if v == 4:
        return ctx.say(
            "Mạng lưới Tổ công nghệ số cộng đồng gồm {t} tổ, {m} thành viên tiếp tục hỗ trợ người dân sử "
            "dụng dịch vụ công trực tuyến",
            tp,
            t=tt,
            m=mm,
            **kw,
        )
    return ctx.say(
        "{m} thành viên Tổ công nghệ số cộng đồng đã tham gia hướng dẫn người dân cài đặt ứng dụng VNeID",
        tp,
        m=mm,
        **kw,
    )


def stations_5g(ctx: Ctx, tp: Period | None) -> list[Sent] | Sent | None:
    n = ctx.world.stations_5g(ctx.members, ctx.asof(tp))
    if n < 5:
        return None
    st = S(_cnt(ctx, n), "stations_5g")
    kw = {"all": ctx.all(), "area": ctx.area()}
    t = _pick(
        ctx,
        [
            "{all} hiện có {n} trạm phát sóng 5G",
            "{n} trạm 5G đã được lắp đặt và phát sóng {area}",
            "Hạ tầng 5G tiếp tục được mở rộng với {n} trạm, phủ sóng trung tâm các xã, phường",
            "Số trạm BTS 5G {area} đạt {n} trạm",
        ],
    )
    s = ctx.say(t, tp, n=st, **kw)
    if not ctx.national and ctx.rng.random() < 0.3 and n > 20:
        operator = ctx.rng.choice(("Viettel", "VNPT", "MobiFone"))
        return [s, ctx.finish(f"Riêng {operator} đã lắp đặt {dots(n // ctx.rng.randint(2, 4))} trạm 5G trên địa bàn")]
    return s


def stations_5g_target(ctx: Ctx, tp: Period | None) -> Sent | None:
    now = ctx.world.stations_5g(ctx.members, ctx.date)
    if now < 5:
        return None
    yt = _target_year(ctx)
    goal = int(round(now * ctx.rng.uniform(1.4, 2.5), -1))
    tgt = S(Fig(dots(goal), goal), "stations_5g", period=str(yt), qualifier="target")
    return ctx.say("Phấn đấu đến hết năm {yt}, {area} có {tgt} trạm 5G", None, yt=str(yt), area=ctx.area(), tgt=tgt)


def smartphones(ctx: Ctx, tp: Period | None) -> Sent | None:
    w, m = ctx.world, ctx.members
    n = w.smartphones(m, ctx.asof(tp))
    kw = {"all": ctx.all(), "area": ctx.area()}
    v = ctx.rng.randrange(4)
    if v == 0:
        return ctx.say(
            "Số thuê bao điện thoại di động sử dụng điện thoại thông minh {area} đạt {n} thuê bao",
            tp,
            n=S(_cnt(ctx, n), "smartphone_subscribers"),
            **kw,
        )
    if v == 1:
        return ctx.say(
            "{n} thuê bao điện thoại thông minh đang hoạt động {area}",
            tp,
            n=S(_cnt(ctx, n), "smartphone_subscribers"),
            **kw,
        )
    if v == 2:
        return ctx.say(
            "Thuê bao di động sử dụng smartphone {area} ước đạt {n}",
            tp,
            n=S(Fig(dots(n), n), "smartphone_subscribers", qualifier="approx"),
            **kw,
        )
    pop = sum(w.profiles[c].pop for c in m)
    per100 = round(n / pop * 100)
    return ctx.say(
        "{all} có {n} thuê bao smartphone, đạt tỷ lệ {k} smartphone/100 dân",
        tp,
        n=S(Fig(dots(n), n), "smartphone_subscribers"),
        k=S(Fig(str(per100), per100), "smartphones_per_100"),
        **kw,
    )


def fiber(ctx: Ctx, tp: Period | None) -> Sent | None:
    w, m = ctx.world, ctx.members
    d = ctx.asof(tp)
    r = w.fiber(m, d)
    ind = "fiber_household_rate"
    kw = {"area": ctx.area(), "of": ctx.of()}
    v = ctx.rng.randrange(4)
    if v == 3:
        y0 = _compare_year(ctx, d)
        if y0 is not None:
            r0, r1 = round(w.fiber(m, _year_end(y0)), 1), round(r, 1)
            if r0 < r1:
                return ctx.say(
                    "Tỷ lệ hộ gia đình sử dụng Internet cáp quang {of} tăng từ {r0} (năm {y0}) lên {r1}",
                    tp,
                    r0=S(rate_fig(r0), ind, period=str(y0)),
                    y0=str(y0),
                    r1=S(rate_fig(r1), ind),
                    **kw,
                )
        v = 0
    if v == 0:
        return ctx.say(
            "Tỷ lệ hộ gia đình có kết nối Internet cáp quang {area} đạt {r}", tp, r=S(_pc(ctx, r), ind), **kw
        )
    if v == 1:
        return ctx.say("{r} hộ gia đình {area} đã có Internet băng rộng cáp quang", tp, r=S(_pc(ctx, r), ind), **kw)
    return ctx.say("Hạ tầng cáp quang đã đến {r} số hộ gia đình {area}", tp, r=S(_pc(ctx, r), ind), **kw)


def fiber_target(ctx: Ctx, tp: Period | None) -> Sent | None:
    current = ctx.world.fiber(ctx.members, ctx.date)
    goals = [p for p in (80, 85, 90, 95) if p > current]
    if not goals:
        return None
    p = ctx.rng.choice(goals)
    yt = _target_year(ctx)
    tgt = S(Fig(_target_text(ctx, p), p), "fiber_household_rate", period=str(yt), qualifier="target")
    return ctx.say(
        "Phấn đấu đến hết năm {yt} có {tgt} hộ gia đình {area} sử dụng Internet cáp quang",
        None,
        yt=str(yt),
        tgt=tgt,
        area=ctx.area(),
    )


def civil_status(ctx: Ctx, tp: Period | None) -> Sent | None:
    n = ctx.world.civil(ctx.members, ctx.asof(tp))
    ns = S(_cnt(ctx, n), "civil_status_records_digitized")
    t = _pick(
        ctx,
        [
            "{all} đã số hóa {n} dữ liệu hộ tịch, cập nhật vào Cơ sở dữ liệu hộ tịch điện tử",
            "Số dữ liệu hộ tịch đã được số hóa {area} đạt {n} trường hợp",
            "{n} dữ liệu hộ tịch đã được nhập vào hệ thống thông tin hộ tịch của Bộ Tư pháp",
            "Công tác số hóa sổ hộ tịch tiếp tục được đẩy mạnh với {n} dữ liệu đã được số hóa, làm sạch",
        ],
    )
    return ctx.say(t, tp, n=ns, all=ctx.all(), area=ctx.area())


def health_insurance(ctx: Ctx, tp: Period | None) -> Sent | None:
    n = ctx.world.health(ctx.members, ctx.asof(tp))
    ns = S(_cnt(ctx, n), "health_insurance_id_synced")
    t = _pick(
        ctx,
        [
            "{n} thẻ căn cước công dân đã được đồng bộ với thẻ bảo hiểm y tế",
            "{all} đã tích hợp {n} thẻ bảo hiểm y tế trên ứng dụng VNeID",
            "Số lượng căn cước công dân được đồng bộ với thẻ bảo hiểm y tế {area} là {n}",
            "{all} đã xác thực, đồng bộ {n} thông tin thẻ bảo hiểm y tế với Cơ sở dữ liệu quốc gia về dân cư",
        ],
    )
    return ctx.say(t, tp, n=ns, all=ctx.all(), area=ctx.area())


def judicial_records(ctx: Ctx, tp: Period | None) -> Sent | None:
    n = ctx.world.judicial(ctx.members, ctx.asof(tp))
    if n < 20:
        return None
    ns = S(_cnt(ctx, n), "judicial_record_requests_vneid")
    variants = [
        "{all} đã tiếp nhận {n} hồ sơ cấp Phiếu lý lịch tư pháp qua ứng dụng VNeID",
        "{n} hồ sơ đề nghị cấp Phiếu lý lịch tư pháp đã được người dân nộp trên VNeID",
        "Số hồ sơ yêu cầu cấp Phiếu lý lịch tư pháp qua ứng dụng VNeID {area} đạt {n}",
    ]
    if not ctx.national:
        variants.append("Sở Tư pháp đã giải quyết {n} hồ sơ cấp Phiếu lý lịch tư pháp trên ứng dụng VNeID")
    return ctx.say(_pick(ctx, variants), tp, n=ns, all=ctx.all(), area=ctx.area())


def dx_targets(ctx: Ctx, tp: Period | None) -> Sent | None:
    d = ctx.asof(tp)
    key = f"{ctx.geo_code}:{'new' if ctx.date >= MERGER_DAY else 'old'}"
    a, b = ctx.world.targets(key, d.year)
    ind = "dx_targets_achieved"
    kw = {"full": ctx.full()}
    v = ctx.rng.randrange(4)
    if v == 0:
        return ctx.say(
            "{full} đã hoàn thành {a}/{b} chỉ tiêu chuyển đổi số", tp, a=S(Fig(str(a), a), ind, den=b), b=str(b), **kw
        )
    if v == 1:
        return ctx.say(
            "{a}/{b} chỉ tiêu về chuyển đổi số đã đạt và vượt kế hoạch",
            tp,
            a=S(Fig(str(a), a), ind, den=b),
            b=str(b),
            **kw,
        )
    if v == 2:
        return ctx.say(
            "Có {a} trên tổng số {b} mục tiêu chuyển đổi số được hoàn thành",
            tp,
            a=S(Fig(str(a), a), ind, den=b),
            b=str(b),
            **kw,
        )
    rest = b - a
    return ctx.say(
        "Kết quả, {a}/{b} chỉ tiêu chuyển đổi số đã hoàn thành, {c} chỉ tiêu còn lại đang được triển khai",
        tp,
        a=S(Fig(str(a), a), ind, den=b),
        b=str(b),
        c=f"{rest:02d}" if rest < 10 else str(rest),
        **kw,
    )


def dx_targets_target(ctx: Ctx, tp: Period | None) -> Sent | None:
    yt = _target_year(ctx)
    key = f"{ctx.geo_code}:{'new' if ctx.date >= MERGER_DAY else 'old'}"
    a, b = ctx.world.targets(key, ctx.date.year)  # the same set of targets, more of them achieved
    if a >= b:
        return None
    goal = min(b, a + ctx.rng.randint(1, 4))
    tgt = S(Fig(str(goal), goal), "dx_targets_achieved", den=b, period=str(yt), qualifier="target")
    return ctx.say(
        "Năm {yt}, {full} phấn đấu hoàn thành {tgt}/{b} chỉ tiêu chuyển đổi số",
        None,
        yt=str(yt),
        full=ctx.full(),
        tgt=tgt,
        b=str(b),
    )


def documents_issued(ctx: Ctx, tp: Period | None) -> Sent | None:
    if ctx.national:
        return None
    ct, nq, qd, kh = ctx.world.documents_issued(ctx.members, ctx.date)
    ctx.own(ctx.now())
    rng = ctx.rng
    items = [
        ("{ct} chỉ thị", "ct", ct, "dx_directives_issued"),
        ("{nq} nghị quyết", "nq", nq, "dx_resolutions_issued"),
        ("{qd} quyết định", "qd", qd, "dx_decisions_issued"),
        ("{kh} kế hoạch", "kh", kh, "dx_plans_issued"),
    ]
    keep = sorted(rng.sample(range(4), rng.randint(2, 4)))
    if rng.random() < 0.3:
        rng.shuffle(keep)
    chosen = [items[i] for i in keep]
    listed = ", ".join(c[0] for c in chosen)
    slots = {
        c[1]: S(
            Fig(f"{c[2]:02d}" if c[2] < 10 and rng.random() < 0.7 else str(c[2]), c[2]),
            c[3],
            period=ctx.date.isoformat(),
        )
        for c in chosen
    }
    org = rng.choice((f"Tỉnh ủy, HĐND, UBND {ctx.lvl}", f"UBND {ctx.lvl}", "các cấp ủy, chính quyền"))
    if ctx.is_city and org.startswith("Tỉnh ủy"):
        org = "Thành ủy, HĐND, UBND thành phố"
    t = _pick(
        ctx,
        [
            "Từ năm 2021 đến nay, {org} đã ban hành " + listed + " về chuyển đổi số",
            "{org} đã ban hành " + listed + " để lãnh đạo, chỉ đạo công tác chuyển đổi số từ năm 2021 đến nay",
            "Tính đến nay, hệ thống văn bản chỉ đạo về chuyển đổi số của {lvl} gồm " + listed,
            cap(listed) + " về chuyển đổi số đã được ban hành kể từ năm 2021 đến nay",
        ],
    )
    return ctx.say(t, None, org=org, lvl=ctx.lvl, **slots)


# --- places below and above the report's own ------------------------------------------------------------------


def _subunits(ctx: Ctx) -> list[tuple[str, str, str]]:
    """(as written, geo_level, geo_name) of districts before the merger, communes after."""
    out = []
    for written in ctx.world.districts(ctx.unit):
        prefix, _, name = written.partition(" ")
        if prefix == "thị":
            prefix, name = "thị xã", name.partition(" ")[2]
        if ctx.date < MERGER_DAY:
            out.append((written, "district", name))
        else:
            ward = prefix in {"quận", "thị xã"}
            out.append((f"{'phường' if ward else 'xã'} {name}", "commune", name))
    return out


def district(ctx: Ctx, tp: Period | None) -> Sent | None:
    if ctx.national:
        return None
    rng, w, m = ctx.rng, ctx.world, ctx.members
    d = ctx.asof(tp)
    subs = _subunits(ctx)
    rng.shuffle(subs)
    (n1, lv1, g1), (n2, lv2, g2) = subs[0], subs[1]
    geo1, geo2 = (ctx.geo_code, lv1, g1), (ctx.geo_code, lv2, g2)
    level_word = "cấp huyện" if lv1 == "district" else "cấp xã"
    act, elig = w.activated(m, d), w.eligible(m, d)
    v = rng.choice((2, 3)) if act < 1000 else rng.randrange(4)
    base = exact_rate(act, elig) if v in (0, 1) else w.online_rate(m, d)
    hi = round(min(99.6, base + rng.uniform(2, 9)), 1)
    lo = round(max(1.0, base - rng.uniform(4, 15)), 1)
    if v == 0:
        return ctx.say(
            "Dẫn đầu là {n1} với tỷ lệ kích hoạt tài khoản định danh điện tử đạt {r1}; thấp nhất là {n2} với {r2}",
            tp,
            n1=n1,
            n2=n2,
            r1=S(rate_fig(hi), "eid_activation_rate", geo=geo1),
            r2=S(rate_fig(lo), "eid_activation_rate", geo=geo2),
        )
    if v == 1:
        a1 = round(act * rng.uniform(0.03, 0.12))
        return ctx.say(
            "{n1} đã kích hoạt {a1} tài khoản định danh điện tử, đạt {r1}",
            tp,
            n1=n1,
            a1=S(Fig(dots(a1), a1), "eid_accounts_activated", geo=geo1),
            r1=S(rate_fig(hi), "eid_activation_rate", geo=geo1),
        )
    if v == 2:
        return ctx.say(
            "Dẫn đầu khối {lw} là {n1} với tỷ lệ hồ sơ trực tuyến đạt {r1}",
            tp,
            lw=level_word,
            n1=n1,
            r1=S(rate_fig(hi), "online_application_rate", geo=geo1),
        )
    if d < date(2022, 3, 1):
        return None
    nt = max(3, round(w.teams(m, d) * rng.uniform(0.04, 0.12)))
    return ctx.say(
        "Tại {n1}, {t} Tổ công nghệ số cộng đồng đã được thành lập ở tất cả các thôn, tổ dân phố",
        tp,
        n1=n1,
        t=S(Fig(dots(nt), nt), "community_digital_teams", geo=geo1),
    )


def national_quote(ctx: Ctx, tp: Period | None) -> Sent | None:
    """A national figure quoted in a provincial report: it belongs to "00"."""
    if ctx.national:
        return None
    w, rng = ctx.world, ctx.rng
    d = ctx.asof(tp)
    allm = w.all_members
    nat = ("00", "national", None)
    options = ["eid", "full"] + (["5g"] if w.stations_5g(allm, d) >= 5 else [])
    kind = rng.choice(options)
    if kind == "eid":
        n = w.activated(allm, d)
        if n < 1000:
            kind = "full"
        else:
            return ctx.say(
                "Trên phạm vi cả nước, {n} tài khoản định danh điện tử đã được kích hoạt",
                tp,
                n=S(_cnt(ctx, n), "eid_accounts_activated", geo=nat),
            )
    if kind == "full":
        r = w.full_rate(allm, d)
        return ctx.say(
            "Tỷ lệ hồ sơ trực tuyến toàn trình của cả nước đạt {r}",
            tp,
            r=S(_pc(ctx, r), "online_full_process_application_rate", geo=nat),
        )
    n = w.stations_5g(allm, d)
    return ctx.say("Cả nước hiện có {n} trạm 5G", tp, n=S(_cnt(ctx, n), "stations_5g", geo=nat))


def province_quote(ctx: Ctx, tp: Period | None) -> Sent | None:
    """Provincial figures quoted in a national report: they belong to those provinces."""
    if not ctx.national:
        return None
    w, rng = ctx.world, ctx.rng
    d = ctx.asof(tp)
    units = w.units_at(ctx.date)
    if rng.random() < 0.5 and w.activated(w.all_members, d) > 10_000:
        rates = {u.code: exact_rate(w.activated(u.members, d), w.eligible(u.members, d)) for u in units}
        order = sorted(units, key=lambda u: (-rates[u.code], u.code))
        best, worst = order[0], order[-1]
        return ctx.say(
            "{a} là địa phương có tỷ lệ kích hoạt tài khoản định danh điện tử cao nhất cả nước với {ra}; "
            "thấp nhất là {b} với {rb}",
            tp,
            a=_unit_label(ctx, best),
            b=_unit_label(ctx, worst),
            ra=S(rate_fig(rates[best.code]), "eid_activation_rate", geo=_geo(best)),
            rb=S(rate_fig(rates[worst.code]), "eid_activation_rate", geo=_geo(worst)),
        )
    rates = {u.code: round(w.online_rate(u.members, d), 1) for u in units}
    order = sorted(units, key=lambda u: (-rates[u.code], u.code))
    a, b = order[0], order[1]
    return ctx.say(
        "Một số địa phương có tỷ lệ hồ sơ trực tuyến cao như {a} ({ra}), {b} ({rb})",
        tp,
        a=_unit_label(ctx, a),
        b=_unit_label(ctx, b),
        ra=S(rate_fig(rates[a.code]), "online_application_rate", geo=_geo(a)),
        rb=S(rate_fig(rates[b.code]), "online_application_rate", geo=_geo(b)),
    )


# --- noise: sentences that state no observation -------------------------------------------------------------------


def noise_growth(ctx: Ctx) -> Sent:
    rng = ctx.rng
    y = ctx.date.year - 1
    return ctx.finish(
        _pick(
            ctx,
            [
                f"So với cùng kỳ năm {y}, số hồ sơ nộp trực tuyến tăng {rng.randint(5, 40)}%",
                f"Số giao dịch thanh toán trực tuyến tăng {rng.randint(8, 60)}% so với năm {y}",
                f"So với tuần trước, số tài khoản được kích hoạt tăng {dots(rng.randint(800, 25000))} tài khoản",
                f"Doanh thu thương mại điện tử tăng gấp {comma(rng.uniform(1.3, 2.8), 1)} lần so với năm {y}",
            ]
            + (
                []
                if ctx.national
                else [
                    f"Tỷ lệ hồ sơ trực tuyến của {ctx.lvl} cao hơn {comma(rng.uniform(1, 9), 1)} điểm phần trăm so với "
                    "bình quân chung cả nước"
                ]
            ),
        )
    )


def noise_tasks(ctx: Ctx) -> Sent:
    rng = ctx.rng
    b = rng.randint(15, 80)
    a = rng.randint(5, b - 3)
    return ctx.finish(
        f"{cap(ctx.all())} đã hoàn thành {a}/{b} nhiệm vụ được giao tại Kế hoạch triển khai Đề án 06 năm "
        f"{ctx.date.year}, {b - a} nhiệm vụ đang triển khai"
    )


def noise_age(ctx: Ctx) -> Sent:
    return ctx.finish(
        _pick(
            ctx,
            [
                "Đối tượng được cấp tài khoản định danh điện tử mức 2 là công dân Việt Nam từ đủ 14 tuổi trở lên",
                "Trẻ em dưới 14 tuổi được đăng ký tài khoản định danh điện tử thông qua tài khoản của cha, mẹ",
                f"Tổng đài hỗ trợ người dân hoạt động 24/7, tiếp nhận trung bình {ctx.rng.randint(40, 300)} cuộc gọi "
                "mỗi ngày",
            ],
        )
    )


def noise_causes(ctx: Ctx) -> Sent:
    return ctx.finish(
        _pick(
            ctx,
            [
                "Bên cạnh kết quả đạt được, việc triển khai còn một số hạn chế: hạ tầng viễn thông ở một số thôn vùng "
                "sâu chưa ổn định, nhiều người dân chưa có điện thoại thông minh, một số dữ liệu chuyên ngành chưa "
                "được làm sạch",
                "Nguyên nhân là một bộ phận người dân đi làm ăn xa, nhiều trường hợp sử dụng số điện thoại không chính "
                "chủ",
                "Một số cơ quan, đơn vị chưa quyết liệt, việc số hóa hồ sơ, kết quả giải quyết thủ tục hành chính còn "
                "chậm",
                "Nguồn nhân lực công nghệ thông tin chất lượng cao còn thiếu, nguy cơ mất an toàn thông tin ngày càng "
                "phức tạp",
            ],
        )
    )
