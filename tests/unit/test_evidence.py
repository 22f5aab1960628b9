"""Evidence view: figures marked at their offsets, report text always shown as text."""

from orchestration.serving.evidence import Span, anchor, page_name, render_evidence

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
        Span(other, len(TEXT), kind="unmapped", figure_text="14"),
        Span(first, stop, kind="unmapped", figure_text="2"),  # the "2" of "mức 2", not of "2014"
    ]


def test_script_in_report_is_text_and_figures_are_marked():
    page = render_evidence("Cà Mau <b>2026</b>", TEXT, _spans())
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<b>" not in page
    assert (
        '<mark class="quarantined" id="obs-r-abc-0001-text"' in page
        and "1.013.000.000 tài khoản" in page
        and ">1013000000<" in page
    )
    assert '<a href="#obs-r-abc-0001">1</a>,<a href="#obs-r-abc-0002">2</a>' in page
    assert '<mark class="unmapped"' in page and ">14</mark>" in page
    assert 'mức <mark class="unmapped" title="number that maps to no indicator">2</mark>' in page
    assert f'id="{anchor("r@abc:0001")}"' in page and "eid_activation_rate" in page


def test_out_of_range_and_overlapping_spans_are_listed_not_marked():
    spans = [*_spans(), Span(5, 9999, observation_id="bad"), Span(3, 8, observation_id="overlap", indicator="x")]
    page = render_evidence("t", TEXT, spans)
    text_part = page.split('<pre class="text">')[1].split("</pre>")[0]
    assert text_part.count("<mark ") == 3  # one sentence with an unmapped number inside, one unmapped
    assert 'id="obs-overlap"' in page and 'id="obs-bad"' in page


def test_page_name_is_safe():
    assert page_name("2026/10 cà-mau@ab:1") == "2026_10_c_-mau@ab_1.html"
