"""Helpers for tests: the bundled dataset as plain JSON, and datasets written beside an article."""

from __future__ import annotations

import copy
import hashlib
import json
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any

ARTICLE_NAME = "seoul-policy-exports.txt"


def bundled_text() -> str:
    return resources.files("policyexports").joinpath("data", "exports.json").read_text("utf-8")


def bundled_json() -> dict[str, Any]:
    """A fresh, mutable copy of the bundled dataset (floats parsed exactly)."""
    data = json.loads(bundled_text(), parse_float=Decimal)
    assert isinstance(data, dict)
    return copy.deepcopy(data)


def article_text() -> str:
    return resources.files("policyexports").joinpath("data", ARTICLE_NAME).read_text("utf-8")


def dumps(data: Any) -> str:
    def default(value: object) -> object:
        if isinstance(value, Decimal):
            return float(value) if value != value.to_integral_value() else int(value)
        raise TypeError(type(value).__name__)

    return json.dumps(data, ensure_ascii=False, indent=2, default=default) + "\n"


def write_dataset(
    folder: Path, data: dict[str, Any], article: str | None = None, name: str = "data.json"
) -> Path:
    """Write ``data`` and its article (the bundled one unless given) into ``folder``.

    With a custom article, ``source.file`` and ``source.sha256`` are set to match it.
    """
    if article is not None:
        (folder / "article.txt").write_text(article, encoding="utf-8")
        data = {
            **data,
            "source": {
                **data["source"],
                "file": "article.txt",
                "sha256": hashlib.sha256(article.encode("utf-8")).hexdigest(),
            },
        }
    else:
        (folder / ARTICLE_NAME).write_text(article_text(), encoding="utf-8")
    path = folder / name
    path.write_text(dumps(data), encoding="utf-8")
    return path


def figure(data: dict[str, Any], figure_id: str) -> dict[str, Any]:
    """The figure ``figure_id`` of a dataset as JSON (to mutate in place)."""
    for item in data["figures"]:
        if item["id"] == figure_id:
            assert isinstance(item, dict)
            return item
    raise KeyError(figure_id)


def write_lg_cns_changed(folder: Path) -> Path:
    """The bundled dataset, and its article, with LG CNS's KRW 644.5 billion written as KRW
    994.5 billion: the named parts then exceed their stated total, and that claim fails."""
    data = bundled_json()
    lg_cns = figure(data, "lg-cns")
    lg_cns["value"] = "KRW 994.5 billion"
    lg_cns["quote"] = lg_cns["quote"].replace("644.5", "994.5")
    article = article_text().replace("KRW 644.5 billion", "KRW 994.5 billion")
    return write_dataset(folder, data, article=article)
