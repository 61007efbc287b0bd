"""JSON output: laid out exactly as Python's own encoder would, nothing invisible raw."""

from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from policyexports.checks import check_dataset
from policyexports.explain import explain
from policyexports.loading import load
from policyexports.models import Kind
from policyexports.quantities import DisplayUnit
from policyexports.queries import FilterRequest, Role, SortKey
from policyexports.render.checks import report_json
from policyexports.render.explain import explanation_json
from policyexports.render.plain import json_pieces, to_json, utf8_chunks, write_atomically
from policyexports.render.reports import View
from policyexports.render.reports_json import json_document
from policyexports.reports import (
    FigureRow,
    Named,
    Part,
    Place,
    ShareRow,
    TotalSummary,
    build_list,
    build_summary,
)
from policyexports.schema import dataset_schema

# printable to Python but drawn as nothing: the Hangul fillers, the combining grapheme joiner,
# Khmer and Mongolian invisibles, and the blank Braille cell
HIDDEN = set("\u034f\u115f\u1160\u17b4\u17b5\u180b\u180c\u180d\u180f\u2800\u3164\uffa0")


def _reference(document: object) -> str:
    """What ``to_json`` promised before it used pydantic-core: the standard library's layout,
    with every character that would not print escaped as JSON escapes it."""
    text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    out = []
    for char in text:
        if (char.isprintable() and char not in HIDDEN) or char == "\n":
            out.append(char)
        else:
            out.append(json.dumps(char)[1:-1] if ord(char) < 0x20 else _escape(char))
    return "".join(out)


def _escape(char: str) -> str:
    code = ord(char)
    if code < 0x10000:
        return f"\\u{code:04x}"
    code -= 0x10000
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.text(st.characters(exclude_categories=()), max_size=8),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=6), children, max_size=4)
    ),
    max_leaves=30,
)


@pytest.mark.parametrize("char", sorted(HIDDEN))
def test_a_character_drawn_as_nothing_is_escaped(char: str) -> None:
    from policyexports.render.plain import visible

    name = f"LG{char}CNS"
    assert to_json(name) == f'"LG\\u{ord(char):04x}CNS"\n'
    assert json.loads(to_json(name)) == name
    assert visible(name) == f"LG\\u{ord(char):04x}CNS"


@given(JSON_VALUES)
def test_layout_matches_the_standard_library(document: Any) -> None:
    text = to_json(document)
    assert text == _reference(document)
    assert json.loads(text) == document
    assert text.replace("\n", "").isprintable()


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        ({}, "{}\n"),
        ([], "[]\n"),
        ({"a": [], "b": {}}, '{\n  "a": [],\n  "b": {}\n}\n'),
        ({"won": 992770000000}, '{\n  "won": 992770000000\n}\n'),
        (["Bogot\u00e1", "\x1b[31m", "\u202e", "\x9b"], None),
        (["\ud800"], '[\n  "\\ud800"\n]\n'),
        (["a\x7fb"], '[\n  "a\\u007fb"\n]\n'),
    ],
)
def test_small_documents(document: object, expected: str | None) -> None:
    text = to_json(document)
    assert text == (expected if expected is not None else _reference(document))


def test_an_unknown_object_is_refused() -> None:
    with pytest.raises(TypeError):
        to_json({"value": object()})


def _types(node: object) -> set[type]:
    if isinstance(node, dict):
        assert all(isinstance(key, str) for key in node)
        return set().union(*(_types(value) for value in node.values()))
    if isinstance(node, list):
        return set().union(*(_types(value) for value in node))
    return {type(node)}


REQUESTS = [
    FilterRequest(),
    FilterRequest(countries=("CO", "Greece")),
    FilterRequest(cities=("Athens",), kinds=("revenue",)),
    FilterRequest(sectors=("transportation",)),
    FilterRequest(companies=("LG CNS",)),
    FilterRequest(kinds=tuple(kind.value for kind in Kind)),
]


def _documents() -> list[object]:
    loaded = load()
    dataset = loaded.dataset
    documents: list[object] = [dataset_schema()]
    for unit in DisplayUnit:
        view = View(unit=unit)
        for request in REQUESTS:
            documents.append(json_document(build_summary(dataset, request), view))
            for sort in SortKey:
                report = build_list(dataset, request, sort=sort, limit=3)
                documents.append(json_document(report, view))
        checked = check_dataset(dataset)
        for strict in (False, True):
            documents.append(report_json(checked, dataset=loaded.name, display=unit, strict=strict))
    ids = [claim.id for claim in dataset.claims] + [figure.id for figure in dataset.figures]
    for unit in (DisplayUnit.BILLION, DisplayUnit.WON, DisplayUnit.JO):
        documents += [
            explanation_json(explain(dataset, loaded.article, ref, unit), unit) for ref in ids
        ]
    return documents


def test_documents_hold_only_json_types() -> None:
    """Exact decimals reach JSON as text: no encoder may choose how a ``Decimal`` reads.

    pydantic-core would write a ``Decimal``, ``Fraction`` or date as text of its own choosing
    where the standard library refuses; documents must not rely on either.
    """
    found = set().union(*(_types(document) for document in _documents()))
    assert found <= {dict, list, str, int, bool, type(None)}
    assert Decimal not in found


@given(st.text(), st.integers(min_value=1, max_value=5))
def test_chunks_are_the_text_in_utf8(text: str, size: int) -> None:
    assert b"".join(utf8_chunks(text, size)) == text.encode("utf-8")


@given(JSON_VALUES, st.integers(min_value=0, max_value=5), st.integers(min_value=1, max_value=4))
def test_pieces_make_the_same_text(document: Any, depth: int, batch: int) -> None:
    assert "".join(json_pieces(document, depth, batch)) == to_json(document)


@given(st.lists(st.text(), max_size=6), st.integers(min_value=1, max_value=5))
def test_chunks_of_pieces_are_their_text_in_utf8(pieces: list[str], size: int) -> None:
    assert b"".join(utf8_chunks(pieces, size)) == "".join(pieces).encode("utf-8")


@given(
    JSON_VALUES,
    st.integers(min_value=0, max_value=5),
    st.integers(min_value=1, max_value=4),
    st.data(),
)
def test_generators_are_written_as_the_lists_they_make(
    document: Any, depth: int, batch: int, data: st.DataObject
) -> None:
    def lazy(node: Any, level: int) -> Any:
        # why: a generator may stand where the layout goes item by item (down to depth)
        if isinstance(node, dict):
            return {key: lazy(value, level + 1) for key, value in node.items()}
        if isinstance(node, list):
            items = [lazy(item, level + 1) for item in node]
            made = level <= depth and data.draw(st.booleans())
            return (item for item in items) if made else items
        return node

    assert "".join(json_pieces(lazy(document, 0), depth, batch)) == to_json(document)


def _figure(number: int) -> dict[str, Any]:
    return {"id": f"figure-{number}", "partners": [{"city": "Bogota"}], "amount": {"won": number}}


@pytest.mark.parametrize("depth", [0, 1, 2])
@pytest.mark.parametrize("count", [1, 2, 3, 4, 5, 9])
def test_a_list_below_the_layout_is_written_in_batches(depth: int, count: int) -> None:
    figures = [_figure(number) for number in range(count)]
    document = {"report": "list", "figures": figures, "others": [{"figures": figures}]}
    expected = to_json(document)
    assert "".join(json_pieces(document, depth, batch=2)) == expected
    # why: a generator may stand at any level down to depth (the top one at depth 0)
    alone = (figure for figure in figures)
    assert "".join(json_pieces(alone, depth, batch=2)) == to_json(figures)
    if depth:
        lazy = {**document, "figures": (figure for figure in figures)}
        assert "".join(json_pieces(lazy, depth, batch=2)) == expected


def test_a_batch_of_items_is_one_piece() -> None:
    # why: the point of batches; an item a piece made a list of 100,000 figures 3 s slower
    document = {"report": "list", "figures": (_figure(number) for number in range(1000))}
    pieces = list(json_pieces(document, depth=1, batch=256))
    assert sum(piece.count('"id"') for piece in pieces) == 1000
    assert [piece.count('"id"') for piece in pieces if '"id"' in piece] == [256, 256, 256, 232]


@pytest.mark.parametrize("depth", [0, 1, 2])
def test_keys_that_are_not_text_are_left_to_the_encoder(depth: int) -> None:
    document = {"a": {1: "one", 2: ["two"]}}
    assert "".join(json_pieces(document, depth)) == to_json(document)


def test_a_write_that_fails_midway_leaves_the_old_file_and_no_other(tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    target.write_text("old\n", encoding="utf-8")

    def pieces() -> Iterator[str]:
        yield "{\n"
        raise RuntimeError("a bug while the report is made")

    with pytest.raises(RuntimeError, match="a bug"):
        write_atomically(str(target), pieces(), force=True)
    assert target.read_text(encoding="utf-8") == "old\n"
    assert [path.name for path in tmp_path.iterdir()] == ["report.json"]


_STOPPED_MIDWAY = """
import os, signal, sys
from policyexports.render.plain import write_atomically

def pieces():
    yield "{\\n" * 100_000
    os.kill(os.getpid(), getattr(signal, sys.argv[2]))  # as `kill` from elsewhere would
    yield "}\\n"

write_atomically(sys.argv[1], pieces(), force=True)
"""


def test_a_signal_that_is_ignored_stays_ignored_while_writing(tmp_path: Path) -> None:
    import signal
    import subprocess
    import sys

    if not hasattr(signal, "SIGHUP"):
        pytest.skip("no SIGHUP here")
    target = tmp_path / "report.json"
    ignoring = "import signal; signal.signal(signal.SIGHUP, signal.SIG_IGN)\n"  # as nohup does
    ended = subprocess.run(
        [sys.executable, "-c", ignoring + _STOPPED_MIDWAY, str(target), "SIGHUP"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert ended.returncode == 0, ended.stderr
    assert target.read_text(encoding="utf-8").endswith("}\n")


_SIGNALLED_AS_IT_IS_MADE = """
import os, signal, sys, tempfile
from policyexports.render.plain import write_atomically

made = tempfile.mkstemp

def mkstemp(*args, **options):
    found = made(*args, **options)
    os.kill(os.getpid(), getattr(signal, sys.argv[2]))  # the file is there, its name not known
    return found

tempfile.mkstemp = mkstemp
write_atomically(sys.argv[1], "{}\\n", force=True)
"""


# why: as the temporary file is made, the signal came between making it and knowing its
# name, and the command ended by it with the file left (a helper's random kills, once in 120)
@pytest.mark.parametrize(
    "when", [_STOPPED_MIDWAY, _SIGNALLED_AS_IT_IS_MADE], ids=["midway", "as-it-is-made"]
)
@pytest.mark.parametrize("name", ["SIGTERM", "SIGHUP"])
def test_a_write_stopped_by_a_signal_leaves_the_old_file_and_no_other(
    tmp_path: Path, name: str, when: str
) -> None:
    import signal
    import subprocess
    import sys

    if not hasattr(signal, name):
        pytest.skip(f"no {name} here")
    if when is _SIGNALLED_AS_IT_IS_MADE and not hasattr(signal, "pthread_sigmask"):
        pytest.skip("signals cannot be held here")
    target = tmp_path / "report.json"
    target.write_text("old\n", encoding="utf-8")
    ended = subprocess.run(
        [sys.executable, "-c", when, str(target), name],
        capture_output=True,
        text=True,
        check=False,
    )
    # why: it ends as the signal ends a process, after removing what it had written
    assert ended.returncode == -getattr(signal, name), ended.stderr
    assert ended.stderr == ""
    assert target.read_text(encoding="utf-8") == "old\n"
    assert [path.name for path in tmp_path.iterdir()] == ["report.json"]


_INTERRUPTED_AS_IT_IS_MADE = """
import os, signal, sys, tempfile
from policyexports.render.plain import write_atomically

made = tempfile.mkstemp

def mkstemp(*args, **options):
    found = made(*args, **options)
    os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C: the file is there, its name not known
    return found

tempfile.mkstemp = mkstemp
try:
    write_atomically(sys.argv[1], "{}\\n", force=True)
except KeyboardInterrupt:
    print("interrupted")
"""


def test_ctrl_c_as_the_temporary_file_is_made_leaves_no_file_behind(tmp_path: Path) -> None:
    import signal
    import subprocess
    import sys

    if not hasattr(signal, "pthread_sigmask"):
        pytest.skip("no pthread_sigmask here")
    target = tmp_path / "report.json"
    ended = subprocess.run(
        [sys.executable, "-c", _INTERRUPTED_AS_IT_IS_MADE, str(target)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (ended.returncode, ended.stdout, ended.stderr) == (0, "interrupted\n", "")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("outcome", ["written", "refused", "interrupted"])
def test_no_signal_stays_held_after_a_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, outcome: str
) -> None:
    # why: a signal held back while the temporary file is made must be let through however
    # making it ends, or a later SIGTERM would never arrive
    import signal
    import tempfile

    from policyexports.errors import OutputError

    if not hasattr(signal, "pthread_sigmask"):
        pytest.skip("no pthread_sigmask here")

    def mkstemp(*args: object, **options: object) -> tuple[int, str]:
        raise PermissionError(13, "denied") if outcome == "refused" else KeyboardInterrupt

    if outcome != "written":
        monkeypatch.setattr(tempfile, "mkstemp", mkstemp)
    before = signal.pthread_sigmask(signal.SIG_BLOCK, [])
    expected: type[BaseException] | None = {
        "written": None,
        "refused": OutputError,
        "interrupted": KeyboardInterrupt,
    }[outcome]
    if expected is None:
        write_atomically(str(tmp_path / "report.json"), "{}\n", force=False)
    else:
        with pytest.raises(expected):
            write_atomically(str(tmp_path / "report.json"), "{}\n", force=False)
    assert signal.pthread_sigmask(signal.SIG_BLOCK, []) == before


def test_markdown_cells_show_data_as_typed_and_markup_as_markup() -> None:
    from policyexports.render.plain import Markdown, to_markdown

    data = "**LG** <b>x</b> [l](http://e) `c` ~~s~~ &amp; #1 | a\\b"
    table = to_markdown(["Who", "Sum"], [[data, Markdown("**2**")]])
    # why: no emphasis, raw HTML, link, code, strike-through or entity from the data
    assert table.splitlines()[2] == (
        r"| \*\*LG\*\* \<b\>x\</b\> \[l\](http://e) \`c\` \~\~s\~\~ \&amp; \#1 \| a\\b | **2** |"
    )


# ---- figures, parts and rows written as text (render/reports_text.py) ---------------------------

# why: every character JSON must escape, and what only ``to_json``'s own pass escapes: DEL, C1
# controls, a bidirectional override, a lone surrogate, the invisibles of HIDDEN
ODD_TEXT = st.text(
    st.sampled_from(['"', "\\", "\n", "\t", "\x00", "\x1b", "\x7f", "\x9b", "\u202e", "\ud800"])
    | st.sampled_from(sorted(HIDDEN))
    | st.characters(),
    max_size=8,
)
NAMED = st.builds(Named, ODD_TEXT, ODD_TEXT)
PLACES = st.builds(Place, st.none() | NAMED, st.none() | NAMED, ODD_TEXT)
DECIMALS = st.decimals(allow_nan=False, allow_infinity=False, places=3, min_value=0)


@st.composite
def _quantities(draw: st.DrawFn, money: bool = False) -> Any:
    from policyexports.basetypes import construct
    from policyexports.models import Quantity
    from policyexports.quantities import Bound, Unit

    unit = Unit.KRW if money else draw(st.sampled_from(Unit))
    money = unit is Unit.KRW
    numbers = st.integers(0, 10**24).map(Decimal) if money else DECIMALS
    value = draw(numbers)
    high = draw(st.none() | numbers)
    return construct(
        Quantity,
        written=draw(ODD_TEXT),
        unit=unit,
        value=value,
        high=None if high is None else max(high, value),
        step=Decimal(1),
        bound=Bound.RANGE if high is not None else draw(st.sampled_from(Bound)),
        month=draw(st.none() | st.integers(1, 12)),
    )


ROW_FIELDS: dict[str, st.SearchStrategy[Any]] = {
    "id": ODD_TEXT,
    "kind": st.sampled_from(Kind),
    "label": ODD_TEXT,
    "earner": st.none() | NAMED,
    "partners": st.lists(PLACES, max_size=3).map(tuple),
    "countries": st.lists(NAMED, max_size=3).map(tuple),
    "sectors": st.lists(NAMED, max_size=3).map(tuple),
    "stated_total": st.booleans(),
    "part_of": st.none() | ODD_TEXT,
    "counts": st.none() | ODD_TEXT,
    "quote": ODD_TEXT,
    "shared_with": st.lists(ODD_TEXT, max_size=3).map(tuple),
}
FIGURE_ROWS = st.builds(FigureRow, value=_quantities(), **ROW_FIELDS)
MONEY_ROWS = st.builds(FigureRow, value=_quantities(money=True), **ROW_FIELDS)
MORE = st.none() | st.dictionaries(
    st.sampled_from(["won", "display", "share", "share_exact"]),
    st.none() | st.booleans() | st.integers(-(10**30), 10**30) | ODD_TEXT,
)


@given(
    st.lists(FIGURE_ROWS, min_size=1, max_size=3),
    MORE,
    st.sampled_from(DisplayUnit),
    st.integers(min_value=0, max_value=4),
    st.integers(min_value=1, max_value=3),
)
def test_figures_written_as_text_are_their_dictionaries_encoded(
    rows: list[FigureRow], more: dict[str, Any] | None, unit: DisplayUnit, depth: int, batch: int
) -> None:
    from policyexports.render.reports_json import _Parts
    from policyexports.render.reports_text import FigureText

    parts, written = _Parts(unit), _Parts(unit, written=True)
    dictionaries = [parts.figure(row, more) for row in rows]
    figures = [written.entry(row, more) for row in rows]
    assert all(isinstance(figure, FigureText) for figure in figures)
    # why: alone, as a list's items at any level, and beside a dictionary (in one batch)
    assert "".join(json_pieces(figures[0], depth, batch)) == _reference(dictionaries[0])
    # why: a generator stands at most just below the levels laid out, here three
    document = {"a": [{"figures": (figure for figure in figures)}]}
    expected = {"a": [{"figures": dictionaries}]}
    assert "".join(json_pieces(document, depth + 3, batch)) == _reference(expected)
    mixed = [figures[0], dictionaries[-1]]
    assert "".join(json_pieces(mixed, depth, batch)) == _reference(
        dictionaries[:1] + [dictionaries[-1]]
    )


@given(
    MONEY_ROWS,
    st.none() | st.fractions(min_value=-5, max_value=5, max_denominator=10**15),
    st.sampled_from(DisplayUnit),
    st.integers(min_value=0, max_value=4),
)
def test_parts_written_as_text_are_their_dictionaries_encoded(
    row: FigureRow, share: Fraction | None, unit: DisplayUnit, depth: int
) -> None:
    from policyexports.render.reports_json import _Parts
    from policyexports.render.reports_text import PartText, Texts

    parts = _Parts(unit)
    dictionary = parts.figure(row, parts.share(row.value.won, share))
    written = PartText(Texts(unit), row, share)
    assert "".join(json_pieces(written, depth)) == _reference(dictionary)
    assert "".join(json_pieces([written], depth)) == _reference([dictionary])


SHARES = st.none() | st.fractions(min_value=-5, max_value=5, max_denominator=10**15)
SHARE_ROWS = st.builds(
    ShareRow,
    st.lists(NAMED, max_size=3).map(tuple),
    st.integers(-(10**20), 10**20),
    SHARES,
    st.lists(ODD_TEXT, max_size=3).map(tuple),
    st.booleans(),
    st.sampled_from(Role),
)


@given(
    st.lists(SHARE_ROWS, min_size=1, max_size=3),
    st.sampled_from(["sectors", "countries"]),
    st.sampled_from(DisplayUnit),
    st.integers(min_value=0, max_value=4),
)
def test_rows_of_a_breakdown_written_as_text_are_their_dictionaries_encoded(
    rows: list[ShareRow], names_key: str, unit: DisplayUnit, depth: int
) -> None:
    from policyexports.render.reports_json import _Parts
    from policyexports.render.reports_text import GroupText

    parts, written = _Parts(unit), _Parts(unit, written=True)
    groups = [written._group(row, names_key) for row in rows]
    assert all(isinstance(group, GroupText) for group in groups)
    expected = [parts.group(row, names_key) for row in rows]
    assert "".join(json_pieces(groups[0], depth)) == _reference(expected[0])
    assert "".join(json_pieces(groups, depth)) == _reference(expected)


@st.composite
def _totals_sharing_amounts(draw: st.DrawFn) -> list[TotalSummary]:
    """Totals whose parts and rows of breakdowns share amounts and shares, within a total and
    from one to the next, as a report's do: a row of one part has that part's."""
    rows = draw(st.lists(MONEY_ROWS, min_size=1, max_size=3))
    shares = draw(st.lists(SHARES, min_size=1, max_size=2))
    share_of = st.sampled_from(shares)
    totals = []
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        parts = tuple(Part(row, draw(share_of)) for row in draw(st.permutations(rows)))
        amounts = st.sampled_from([part.figure.value.won for part in parts]) | st.integers()
        breakdown = st.lists(
            st.builds(
                ShareRow, st.lists(NAMED, max_size=2).map(tuple), amounts, share_of,
                st.lists(ODD_TEXT, max_size=2).map(tuple), st.booleans(), st.sampled_from(Role),
            ),
            max_size=3,
        ).map(tuple)  # fmt: skip
        totals.append(
            TotalSummary(
                total=draw(MONEY_ROWS),
                filtered=draw(st.booleans()),
                parts=parts,
                unattributed=draw(st.none() | SHARE_ROWS),
                named_parts_won=(),
                rows=draw(SHARE_ROWS),
                by_sector=draw(breakdown),
                by_country=draw(breakdown),
            )
        )
    return totals


@given(_totals_sharing_amounts(), st.sampled_from(DisplayUnit))
def test_totals_written_as_text_are_their_dictionaries_encoded(
    totals: list[TotalSummary], unit: DisplayUnit
) -> None:
    # why: a part's and a row's share texts are made once for each amount and share in a
    # total (_Parts._share_texts), and made again for the next
    from policyexports.render.reports_json import _Parts

    parts, written = _Parts(unit), _Parts(unit, written=True)
    document = {"totals": (written.total(total) for total in totals)}
    expected = {"totals": [parts.total(total) for total in totals]}
    assert "".join(json_pieces(document)) == _reference(expected)
    for total in totals:  # why: what is kept for a total is let go at the next
        written.total(total)
        assert written.texts._shares == {}


def test_share_texts_are_told_apart_by_amount_and_share() -> None:
    # why: made once per amount and share in a total (_share_texts); a key that left out
    # either half of a share would give one share's text for another's
    from policyexports.render.reports_json import _Parts
    from policyexports.render.reports_text import Texts, _scalar

    texts, parts = Texts(DisplayUnit.BILLION), _Parts(DisplayUnit.BILLION)
    shares = [Fraction(1, 3), Fraction(2, 3), Fraction(1, 4), Fraction(0), None, Fraction(-1, 3)]
    for won in (5, 6, 0, -5):
        for share in shares:
            expected = tuple(_scalar(value) for value in parts.share(won, share).values())
            assert texts._share_texts(won, share) == expected, (won, share)


@st.composite
def _rows_sharing_names(draw: st.DrawFn) -> list[FigureRow]:
    """Figures of money that name the same few objects, as a report's rows do (RowMaker)."""
    names = draw(st.lists(NAMED, min_size=1, max_size=3))
    places = draw(st.lists(PLACES, min_size=1, max_size=3))
    some_names = st.lists(st.sampled_from(names), max_size=3).map(tuple)
    fields = {
        **ROW_FIELDS,
        "earner": st.none() | st.sampled_from(names),
        "partners": st.lists(st.sampled_from(places), max_size=3).map(tuple),
        "countries": some_names,
        "sectors": some_names,
    }
    rows = st.builds(FigureRow, value=_quantities(money=True), **fields)
    return draw(st.lists(rows, min_size=2, max_size=4))


@given(_rows_sharing_names(), st.sampled_from(DisplayUnit), st.integers(min_value=2, max_value=4))
def test_names_and_places_shared_by_figures_are_written_alike_at_every_depth(
    rows: list[FigureRow], unit: DisplayUnit, depth: int
) -> None:
    # why: a name's, a place's and a one-item list's text are made once per object and depth
    # (_Parts._texts and _ones); here the same objects stand in figures and parts at two depths,
    # laid out item by item or in batches (a Written stands at most just below the layout)
    from policyexports.render.reports_json import _Parts
    from policyexports.render.reports_text import PartText

    parts, written = _Parts(unit), _Parts(unit, written=True)
    share = Fraction(1, 3)
    document = {
        "figures": [written.entry(row) for row in rows],
        "total": {"parts": [PartText(written.texts, row, share) for row in rows]},
    }
    expected = {
        "figures": [parts.figure(row) for row in rows],
        "total": {"parts": [parts.figure(row, parts.share(row.value.won, share)) for row in rows]},
    }
    assert "".join(json_pieces(document, depth)) == _reference(expected)


@pytest.mark.parametrize("request_", REQUESTS)
@pytest.mark.parametrize("unit", list(DisplayUnit))
def test_reports_written_in_pieces_are_their_documents(
    request_: FilterRequest, unit: DisplayUnit
) -> None:
    from policyexports.render.plain import OutputFormat
    from policyexports.render.reports import render

    dataset = load().dataset
    view = View(unit=unit)
    for report in (build_summary(dataset, request_), build_list(dataset, request_)):
        assert render(report, OutputFormat.JSON, view) == to_json(json_document(report, view))


def test_the_reports_that_json_pieces_writes_hold_figures_as_text() -> None:
    # why: the speed of a large report's JSON; every figure a dictionary again would pass the
    # tests that compare texts
    from policyexports.render.plain import Written
    from policyexports.render.reports_text import FigureText

    dataset = load().dataset
    summary = json_document(build_summary(dataset), View(), lazy=True)
    [total] = summary["totals"]
    assert isinstance(total["figure"], FigureText)
    assert all(isinstance(part, Written) for part in total["parts"])
    assert all(isinstance(row, Written) for row in total["by_sector"] + total["by_country"])
    assert all(
        isinstance(row, FigureText) for section in summary["others"] for row in section["figures"]
    )
    listed = json_document(build_list(dataset), View(), lazy=True)
    assert all(isinstance(row, FigureText) for row in listed["figures"])


def test_a_figure_written_as_text_refuses_what_its_dictionary_would_not_hold() -> None:
    from policyexports.render.reports_text import Texts, _figure_layout

    row = build_list(load().dataset).rows[0]
    with pytest.raises(ValueError, match="given again"):
        _figure_layout(0, ("won", "label"))  # why: figure() would put it in place of its own
    with pytest.raises(TypeError, match="Decimal"):
        Texts(DisplayUnit.BILLION).figure_text(row, 0, {"won": Decimal(1)})
