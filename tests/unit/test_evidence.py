"""Evidence view: figures marked at their offsets, each number with its reference, report text always text."""

import dataclasses
import html
import re

from orchestration.serving.evidence import Span, anchor, page_name, render_evidence
from sources.reports import extract_path, extract_text
from tests.conftest import SAMPLES

TEXT = "Đến hết quý III/2014, Cà Mau có 1.013.000.000 tài khoản định danh mức 2. <script>alert(1)</script> Có 14 đoàn."


def _spans():
    first = TEXT.index("Đến")
    stop = TEXT.index("<script>")
    other = TEXT.index("Có 14")
    return [
        Span(
            first,
            stop,
            observation_id="r@abc:0001",
            indicator="eid_accounts_activated",
            value=1013000000,
            geo="96",
            period="2026-Q3",
            quarantined=True,
        ),
        Span(first, stop, observation_id="r@abc:0002", indicator="eid_activation_rate", value=71),
        Span(other, len(TEXT), kind="unmapped", observation_id="r@abc:u0000", value=14, figure_text="14"),
    ]


def _text_part(page: str) -> str:
    return page.split('<pre class="text">')[1].split("</pre>")[0]


def _ids_and_links(page: str) -> tuple[list[str], list[str]]:
    return re.findall(r'\bid="([^"]+)"', page), re.findall(r'href="#([^"]+)"', page)


def test_script_in_report_is_text_and_figures_are_marked():
    page = render_evidence("Cà Mau <b>2026</b>", TEXT, _spans())
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<b>" not in page
    assert '<mark class="quarantined" id="obs-r-abc-0001-text"' in page and ">1013000000<" in page
    # the number read is in bold, followed by its reference: the link target of the marts and the report
    assert re.search(r'<strong class="num" title="eid_accounts_activated[^"]*">1\.013\.000\.000</strong>', page)
    assert '<a class="ref" id="obs-r-abc-0001" href="#obs-r-abc-0001-row"><sup>1</sup>' in page
    # the rate's 71 is not in the sentence: its reference closes the sentence
    assert '</mark><a class="ref" id="obs-r-abc-0002" href="#obs-r-abc-0002-row"><sup>2</sup>' in page
    assert '<mark class="unmapped" id="obs-r-abc-u0000" title="number that maps to no indicator">14</mark>' in page
    # neither the 2014 of the quarter nor the 2 of "mức 2" is a number of a figure
    assert "mức 2." in page and "III/2014," in page
    assert f'<tr id="{anchor("r@abc:0001")}-row"><td><a href="#{anchor("r@abc:0001")}">1</a>' in page
    ids, links = _ids_and_links(page)
    assert len(ids) == len(set(ids)) and set(links) <= set(ids) | {"figures"}


def test_each_number_of_a_sentence_gets_its_own_reference_and_a_corrected_figure_is_found_by_its_text():
    text = (
        "Năm 2023, tỉnh có 55.442 đảng viên dùng Sổ tay; 1.658 tổ công nghệ số với 9.042 thành viên."
        " Sáng 11/01/2024 có 11 huyện."
    )
    sentence_end = text.index(" Sáng")
    spans = [
        Span(0, sentence_end, observation_id="a:1", indicator="party_members_digital_notebook", value=55442),
        Span(0, sentence_end, observation_id="a:2", indicator="community_digital_teams", value=1658),
        # corrected to 9100: the text still says 9.042, which is what is marked
        Span(
            0,
            sentence_end,
            observation_id="a:3",
            indicator="community_digital_team_members",
            value=9100,
            correction_status="changed",
            text_value=9042,
            was="value 9042",
        ),
        Span(sentence_end + 1, len(text), kind="unmapped", observation_id="a:u1", value=11, figure_text="11"),
    ]
    part = _text_part(render_evidence("t", text, spans))
    marked = re.findall(r'<strong class="num"[^>]*>([^<]+)</strong><a class="ref" id="obs-a-(\d)"', part)
    assert marked == [("55.442", "1"), ("1.658", "2"), ("9.042", "3")]
    assert "= 9100" in part and "changed (was value 9042)" in part
    # the unmapped 11 is the one standing alone, not the 11 of the date
    assert 'Sáng 11/01/2024 có <mark class="unmapped" id="obs-a-u1"' in part


def test_out_of_range_and_overlapping_spans_are_listed_with_their_anchor():
    spans = [*_spans(), Span(5, 9999, observation_id="bad"), Span(3, 8, observation_id="overlap", indicator="x")]
    page = render_evidence("t", TEXT, spans)
    assert _text_part(page).count("<mark ") == 2  # the figures' sentence and the unmapped number
    # not in the text, so the table row holds the anchor a link from the marts points to
    assert '<tr id="obs-overlap"><td>–</td>' in page and '<tr id="obs-bad"><td>–</td>' in page


def test_page_name_is_safe():
    assert page_name("2026/10 cà-mau@ab:1") == "2026_10_c_-mau@ab_1.html"


def _long_report(min_chars: int):
    """The shipped samples joined into one long report, extracted as one (the project's own text)."""
    files = sorted(SAMPLES.glob("*.txt"))
    first = extract_path(files[0]).report
    texts, size = [], 0
    for f in files:
        texts.append(extract_path(f).report.text)
        size += len(texts[-1])
        if size >= min_chars:
            break
    report = dataclasses.replace(first, text="\n\n".join(texts), report_id="long")
    return report.text, extract_text(report)


def _page_of(text: str, extraction) -> str:
    spans = [
        Span(o.char_start, o.char_end, observation_id=f"long:{i:04d}", indicator=o.indicator, value=o.value)
        for i, o in enumerate(extraction.observations)
    ] + [
        Span(m.char_start, m.char_end, "unmapped", f"long:u{i:04d}", value=m.value, figure_text=m.figure_text)
        for i, m in enumerate(extraction.mentions)
    ]
    return render_evidence("long", text, spans)


def test_a_15000_character_report_shows_all_its_text_and_every_figure_has_its_number_and_reference():
    text, extraction = _long_report(15_000)
    assert len(text) >= 15_000 and len(extraction.observations) > 40
    page = _page_of(text, extraction)
    part = _text_part(page)
    shown = html.unescape(re.sub(r'<span class="card">.*?</span>|<sup>.*?</sup>|<[^>]+>', "", part))
    assert shown == text, "the page shows the report's text, whole and in order"
    ids, links = _ids_and_links(page)
    assert len(ids) == len(set(ids)) and set(links) <= set(ids) | {"figures"}
    for i in range(len(extraction.observations)):
        assert f'id="obs-long-{i:04d}"' in part, f"figure {i} has its reference in the text"
    # nearly every figure's number is found in its sentence (the rest close their sentence with the reference)
    numbers = part.count('<strong class="num"')
    assert numbers >= 0.9 * len({(o.char_start, o.value) for o in extraction.observations})
    # the page weighs a few times the text, not more: readable on any machine
    assert len(page.encode()) < 6 * len(text.encode())


def test_a_2000_character_report_page_is_small_and_complete():
    text, extraction = _long_report(1)  # the first sample alone
    assert 2_000 <= len(text) < 4_000
    page = _page_of(text, extraction)
    assert len(re.findall(r'<a class="ref" id="obs-long-\d{4}"', page)) == len(extraction.observations)
    assert page.count("<tr id=") == len(extraction.observations)
