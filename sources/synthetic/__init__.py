"""Synthetic province reports with exact gold: a sanity check for extraction that is independent of it.

`write_corpus(out, reports, seed)` writes Vietnamese digital-transformation and Project 06 reports (text,
HTML, UTF-16, and a few bad files) plus the observations and directives a careful annotator would record,
in the shapes of spec/observations.md and spec/directives.md. See `generate.py`.
"""

from sources.synthetic.generate import write_corpus

__all__ = ["write_corpus"]
