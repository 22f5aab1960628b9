"""The command line itself: every option says what it does, `--version`, ports checked before binding, and
control characters escaped on their way to the terminal (issues 12.15, 17.4)."""

import argparse
import io

import pytest

from orchestration.cli import build_parser, main
from orchestration.terminal import ControlSafeStream, escape_controls


def _parsers(parser: argparse.ArgumentParser):
    yield parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                yield from _parsers(sub)


def test_every_command_and_option_has_help():
    parser = build_parser()
    missing = [
        f"{p.prog} {'/'.join(a.option_strings) or a.dest}"
        for p in _parsers(parser)
        for a in p._actions
        if not isinstance(a, argparse._HelpAction | argparse._SubParsersAction) and not a.help
    ]
    assert missing == []
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    assert all(choice.help for choice in commands._choices_actions)


def test_version(capsys):
    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0
    assert capsys.readouterr().out.startswith("dxw 0.")


@pytest.mark.parametrize("port", ["99999", "0", "http"])
def test_a_wrong_port_is_a_usage_message(port, capsys):
    with pytest.raises(SystemExit) as done:
        main(["docs", "--port", port])
    assert done.value.code == 2
    assert "--port" in capsys.readouterr().err


def test_control_characters_are_escaped_but_line_feeds_and_tabs_kept():
    hostile = "a\x1b]0;pwned\x07b\x1b[31mc\x9bd\re\u202ef\tg\nh"
    assert escape_controls(hostile) == "a\\u001b]0;pwned\\u0007b\\u001b[31mc\\u009bd\\u000de\\u202ef\tg\nh"
    sink = io.StringIO()
    stream = ControlSafeStream(sink)
    assert stream.write("x\x1by") == 3 and sink.getvalue() == "x\\u001by"
    assert not stream.isatty()  # so loggers write no colour codes of their own
