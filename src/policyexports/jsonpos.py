"""Where each value of a JSON text starts (line, column), and which object keys repeat.

Only used after the fast ``json`` parse has found a problem, to point at it in the text.
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

Path = tuple[str | int, ...]

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
    _line_starts: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._line_starts = [0] + [match.end() for match in re.finditer("\n", self.text)]

    def line_column(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self._line_starts, offset)
        return line, offset - self._line_starts[line - 1] + 1

    def locate(self, path: Path) -> tuple[int, int] | None:
        """The position of the value at ``path``, or of its nearest located ancestor."""
        for length in range(len(path), -1, -1):
            offset = self.offsets.get(path[:length])
            if offset is not None:
                return self.line_column(offset)
        return None


def tokens(text: str) -> Iterator[tuple[str, str, int]]:
    position = 0
    while True:
        match = _TOKEN.match(text, position)
        if match is None or match.lastgroup is None:
            return
        group = match.lastgroup
        yield group, match[group], match.start(group)
        position = match.end()


def map_json(text: str) -> JsonMap:
    """Map a JSON text that ``json.loads`` accepts (iteratively: any depth is fine)."""
    result = JsonMap(text)
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
        result.offsets.setdefault(path, offset)
        if group == "open":
            stack.append(("object" if token == "{" else "array", path, set(), 0))
    return result


def format_path(path: Path) -> str:
    """``('figures', 3, 'value')`` as ``figures[3].value``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text
