"""Where each value of a JSON text starts (line, column), and which object keys repeat.

Only used after the fast ``json`` parse has found a problem, to point at it in the text:
where the values of a few paths start (``JsonMap.include``), or where every value does and
which keys repeat (``map_json``).
"""

from __future__ import annotations

import bisect
import json
import re
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

Path = tuple[str | int, ...]

_SPACE = re.compile(r"[ \t\n\r]*")
_LINE_BREAK = re.compile("\n")
_TOKEN = re.compile(
    r"""\s*(?:(?P<string>"(?:[^"\\]|\\.)*")|(?P<open>[{\[])|(?P<close>[}\]])|(?P<colon>:)"""
    r"""|(?P<comma>,)|(?P<scalar>[^\s,:{}\[\]"]+))""",
    re.DOTALL,
)


@dataclass
class JsonMap:
    """Positions of values by JSON path, and the duplicate keys met on the way."""

    text: str
    offsets: dict[Path, int] = field(default_factory=dict)
    duplicates: list[tuple[Path, int]] = field(default_factory=list)
    complete: bool = False  # why: every value is mapped (``map_json``); nothing to include
    _line_starts: array[int] | None = field(default=None, repr=False)

    def line_column(self, offset: int) -> tuple[int, int]:
        starts = self._line_starts
        if starts is None:
            # why: made when a problem is first placed, of machine integers: as a list, the
            # 2.8 million line starts of a dataset of 100,000 figures with one quote missing
            # from its article raised the peak of `validate` from 471 MiB to 542 MiB
            starts = self._line_starts = array("q", (0,))
            starts.extend(map(re.Match.end, _LINE_BREAK.finditer(self.text)))
        line = bisect.bisect_right(starts, offset)
        return line, offset - starts[line - 1] + 1

    def include(self, paths: Iterable[Path]) -> None:
        """Map where the values at ``paths``, and at every path on the way to them, start:
        in one pass that goes item by item only through the containers on that way, and
        steps over every other value with the C parser.

        why: ``map_json`` reads each token in Python. To place one problem in a dataset of
        100,000 figures, mapping every value made ``validate`` take 15.5 s and 914 MB; this
        way it takes 6.1 s and 494 MB.
        """
        if self.complete:
            return
        wanted = {path[:length] for path in paths for length in range(len(path) + 1)}
        if wanted <= self.offsets.keys():
            return
        try:
            _walk(self.text, wanted, self.offsets)
        # why: not the JSON it should be, or nested deeper than the parser steps over here
        except (ValueError, IndexError, TypeError, RecursionError):
            mapped = map_json(self.text)
            self.offsets, self.complete = mapped.offsets, True

    def locate(self, path: Path) -> tuple[int, int] | None:
        """The position of the value at ``path``, or of its nearest located ancestor.

        A value is placed where it was last given. One found inside the value of a key
        given twice, but before where that key's value starts, was inside a value the
        parser dropped: it is passed over, as if not there.
        """
        for length in range(len(path), -1, -1):
            offset = self.offsets.get(path[:length])
            if offset is not None and all(
                self.offsets.get(path[:outer], -1) < offset for outer in range(length)
            ):
                return self.line_column(offset)
        return None


def repeated_keys(text: str, data: object, objects: Iterable[object]) -> JsonMap:
    """``map_json(text, every=False)``, from the ``data`` parsed from ``text`` and the
    ``objects`` of it in which the parser met a key twice.

    why: ``map_json`` finds the repeats by reading every token in Python: one repeated key
    in a dataset of 100,000 figures took 11.9 s to report. Here the objects are found in
    ``data``, and the text is read only on the way to them, every other value stepped over
    by the C parser. One that ``data`` no longer holds (the value of a key given again) is
    not found that way; then every token is read, as before.
    """
    paths = _paths_of(data, objects)
    if paths is not None:
        found = JsonMap(text)
        try:
            _walk(text, set(), found.offsets, set(paths), found.duplicates)
        except (ValueError, IndexError, TypeError, RecursionError):
            pass  # why: not the JSON it should be; read as before, token by token
        else:
            return found
    return map_json(text, every=False)


def _paths_of(data: object, objects: Iterable[object]) -> list[Path] | None:
    """The path in ``data`` of each of ``objects`` (containers of it), or ``None`` if one of
    them is not there."""
    wanted = {id(item) for item in objects}
    found: list[Path] = []
    pending: list[tuple[Path, object]] = [((), data)]
    while pending and len(found) < len(wanted):
        path, node = pending.pop()
        if id(node) in wanted:
            found.append(path)
        items: Iterable[tuple[str | int, object]]
        if isinstance(node, dict):
            items = node.items()
        elif isinstance(node, list):
            items = enumerate(node)
        else:
            continue
        pending += [((*path, key), item) for key, item in items if type(item) in (dict, list)]
    return found if len(found) == len(wanted) else None


def _walk(
    text: str,
    wanted: set[Path],
    offsets: dict[Path, int],
    repeats: set[Path] | None = None,
    duplicates: list[tuple[Path, int]] | None = None,
) -> None:
    """Add to ``offsets`` where the value at each path of ``wanted`` starts; ``wanted``
    holds every path on the way to each of them. For a key given twice that is the value
    given last, which the parser keeps and validation reads. Add to ``duplicates`` each key
    given again in an object at a path of ``repeats``, and where."""
    repeats, twice = repeats or set(), duplicates if duplicates is not None else []
    inside = {path[:length] for path in wanted for length in range(len(path))}
    inside |= {path[:length] for path in repeats for length in range(len(path) + 1)}
    step_over = json.JSONDecoder().raw_decode

    def space(at: int) -> int:
        found = _SPACE.match(text, at)
        return found.end() if found else at

    def past(start: int) -> int:
        """Where the value at ``start`` ends. why: an array is stepped over item by item; as
        one value, the figures of a dataset of 100,000 were all made again at once, and a
        repeated key at its top raised the peak of `validate` from 461 MiB to 519 MiB."""
        if text[start] != "[":
            return step_over(text, start)[1]
        at = space(start + 1)
        while text[at] != "]":
            at = space(past(at))
            if text[at] == ",":
                at = space(at + 1)
        return at + 1

    def value(path: Path, start: int) -> int:
        """Where the value at ``start`` ends, with what is wanted inside it mapped."""
        if path in wanted:
            offsets[path] = start
        opening = text[start]
        if path not in inside or opening not in "{[":
            return past(start)
        closing = "}" if opening == "{" else "]"
        at, index = space(start + 1), 0
        keys: set[str] | None = set() if path in repeats else None
        while text[at] != closing:
            child: Path
            if closing == "}":
                key, after = step_over(text, at)
                if keys is not None:
                    if key in keys:
                        twice.append(((*path, key), at))
                    keys.add(key)
                at, child = space(space(after) + 1), (*path, key)  # why: past the colon
            else:
                child, index = (*path, index), index + 1
            at = space(value(child, at))  # why: as deep as the longest wanted path
            if text[at] == ",":
                at = space(at + 1)
        return at + 1

    value((), space(0))


def tokens(text: str) -> Iterator[tuple[str, str, int]]:
    position = 0
    while True:
        match = _TOKEN.match(text, position)
        if match is None or match.lastgroup is None:
            return
        group = match.lastgroup
        yield group, match[group], match.start(group)
        position = match.end()


def map_json(text: str, *, every: bool = True) -> JsonMap:
    """Map a JSON text that ``json.loads`` accepts (iteratively: any depth is fine): its
    repeated keys and, with ``every``, where each value starts. why: without, the values'
    places are found as asked for (``JsonMap.include``); every one of a dataset of 100,000
    figures, to report one repeated key, made ``validate`` take 989 MB."""
    result = JsonMap(text, complete=every)
    # why: an explicit stack, not recursion, so a deeply nested file cannot overflow it
    stack: list[tuple[str, Path, set[str], int]] = []  # (kind, path, keys seen, index)
    pending_key: str | None = None
    for group, token, offset in tokens(text):
        if group in ("colon", "comma"):
            continue
        if group == "close":
            stack.pop()
            continue
        if stack and stack[-1][0] == "object" and pending_key is None:
            if group != "string":
                return result  # why: not the shape we expect; keep what was mapped so far
            pending_key = json.loads(token)
            kind, parent, keys, index = stack[-1]
            if pending_key in keys:
                result.duplicates.append((parent + (pending_key,), offset))
            keys.add(pending_key)
            continue
        if not stack:
            path: Path = ()
        elif stack[-1][0] == "object":
            assert pending_key is not None
            path, pending_key = stack[-1][1] + (pending_key,), None
        else:
            kind, parent, keys, index = stack[-1]
            path = parent + (index,)
            stack[-1] = (kind, parent, keys, index + 1)
        if every:
            result.offsets[path] = offset
        if group == "open":
            stack.append(("object" if token == "{" else "array", path, set(), 0))
    return result


def format_path(path: Path) -> str:
    """``('figures', 3, 'value')`` as ``figures[3].value``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text
