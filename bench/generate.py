"""Write a valid synthetic dataset of N figures and N/10 claims, with the article it quotes.

Usage: python bench/generate.py N OUT_DIR   (writes OUT_DIR/dataset.json and OUT_DIR/article.txt,
and OUT_DIR/dataset-shuffled.json)

The dataset goes through exactly the validation the bundled one does: every quote is a
sentence of the generated article, every reference resolves, every value agrees with its text.
Its figures are in the order of the article, as the bundled dataset's figures are; the
shuffled copy has its figures and claims in a random order, so its quotes are found by the
quote index rather than by the search in the order of the article (``quotes.py``).
"""

from __future__ import annotations

import hashlib
import json
import random
import string
import sys
from decimal import Decimal
from itertools import product
from pathlib import Path
from typing import Any

from policyexports.models import Kind, expand_written

SECTORS = ["transportation", "waterworks", "urban-railways", "e-government", "housing"]
FIGURES_PER_TOTAL = 50  # each stated total has this many named parts
PARAGRAPH = 5  # sentences to a paragraph of the article


def _country_codes(count: int) -> list[str]:
    codes = ["".join(pair) for pair in product(string.ascii_uppercase, repeat=2)]
    return codes[:count]


def generate(figures: int, seed: int = 2016) -> tuple[dict[str, Any], str]:
    """A dataset of ``figures`` figures and ``figures // 10`` claims, and its article text."""
    rng = random.Random(seed)
    countries = _country_codes(min(600, max(10, figures // 20)))
    city_count = max(20, figures // 10)
    company_count = max(10, figures // 50)
    sentences: list[str] = ["Synthetic policy exports, generated for benchmarks."]
    dataset: dict[str, Any] = {
        "format_version": 1,
        "countries": [
            {"code": code, "name": f"Country {code}", "aliases": [f"Land {code}"]}
            for code in countries
        ],
        "cities": [
            {"id": f"city-{i}", "name": f"City {i}", "country": countries[i % len(countries)]}
            for i in range(city_count)
        ],
        "organizations": [
            {"id": f"company-{i}", "name": f"Company {i}", "type": "company"}
            for i in range(company_count)
        ],
        "sectors": [{"id": sector, "name": sector.replace("-", " ").title()} for sector in SECTORS],
        "figures": [],
        "claims": [],
    }
    figure_list: list[dict[str, Any]] = dataset["figures"]
    totals: list[tuple[str, list[str]]] = []
    index = 0
    while index < figures:
        parts_here = min(FIGURES_PER_TOTAL, figures - index - 1)
        if parts_here < 1:
            # why: one figure left over; make it a count so the total stays exact
            quote = f"Record {index} counted {index + 1} visitors."
            sentences.append(quote)
            figure_list.append(
                {
                    "id": f"count-{index}",
                    "kind": "count",
                    "label": "Visitors",
                    "value": _canonical(f"{index + 1} visitors", Kind.COUNT),
                    "counts": "visitors",
                    "quote": quote,
                }
            )
            index += 1
            continue
        total_id = f"total-{index}"
        part_ids: list[str] = []
        amounts = [rng.randrange(1, 10**6) * 10**7 for _ in range(parts_here)]
        stated = sum(amounts) + rng.randrange(0, 10**5) * 10**7
        quote = f"Group {index} earned a total of KRW {_billions(stated)} billion in revenue."
        sentences.append(quote)
        figure_list.append(
            {
                "id": total_id,
                "kind": "revenue",
                "label": f"Revenue of group {index}",
                "value": _canonical(f"KRW {_billions(stated)} billion", Kind.REVENUE),
                "total": True,
                "quote": quote,
            }
        )
        index += 1
        for amount in amounts:
            figure_id = f"figure-{index}"
            company = f"company-{rng.randrange(company_count)}"
            cities = rng.sample(range(city_count), rng.choice([1, 1, 1, 2, 3]))
            names = " and ".join(f"City {city}" for city in cities)
            quote = (
                f"Company {company.split('-')[1]} earned KRW {_billions(amount)} billion "
                f"from {names} (record {index})."
            )
            sentences.append(quote)
            figure_list.append(
                {
                    "id": figure_id,
                    "kind": "revenue",
                    "label": f"Revenue record {index}",
                    "value": _canonical(f"KRW {_billions(amount)} billion", Kind.REVENUE),
                    "earner": company,
                    "partners": [{"city": f"city-{city}"} for city in cities],
                    "sectors": [rng.choice(SECTORS)],
                    "part_of": total_id,
                    "quote": quote,
                }
            )
            part_ids.append(figure_id)
            index += 1
        totals.append((total_id, part_ids))
    _claims(dataset, totals, sentences, figures // 10, rng)
    # why: paragraphs of a few sentences, as an article has, so that no quote is a line of
    # its own, which validation answers from a set of lines without searching
    title, body = sentences[0], sentences[1:]
    paragraphs = [
        " ".join(body[start : start + PARAGRAPH]) for start in range(0, len(body), PARAGRAPH)
    ]
    article = title + "\n\n" + "\n\n".join(paragraphs) + "\n"
    dataset["source"] = {
        "title": "Synthetic policy exports",
        "publisher": "policyexports benchmarks",
        "file": "article.txt",
        "sha256": hashlib.sha256(article.encode("utf-8")).hexdigest(),
    }
    return dataset, article


def _canonical(written: str, kind: Kind) -> dict[str, Any]:
    """The canonical value object, as the bundled dataset stores it (integers of won)."""
    return {
        key: int(item) if isinstance(item, Decimal) else item
        for key, item in expand_written(written, kind).items()
    }


def _billions(won: int) -> str:
    whole, rest = divmod(won, 10**9)
    return f"{whole}.{rest:09d}".rstrip("0").rstrip(".")


def _claims(
    dataset: dict[str, Any],
    totals: list[tuple[str, list[str]]],
    sentences: list[str],
    count: int,
    rng: random.Random,
) -> None:
    claims: list[dict[str, Any]] = dataset["claims"]
    for number in range(count):
        total_id, parts = totals[number % len(totals)]
        quote = sentences[1 + (number % (len(sentences) - 1))]
        if number % 3 == 0:
            claims.append(
                {
                    "id": f"claim-{number}",
                    "type": "parts_within_total",
                    "statement": "The parts fit in the total",
                    "quote": quote,
                    "total": total_id,
                    "parts": parts,
                }
            )
        elif number % 3 == 1:
            left, right = rng.sample(parts, 2) if len(parts) > 1 else (parts[0], parts[0])
            claims.append(
                {
                    "id": f"claim-{number}",
                    "type": "compare",
                    "statement": "One record against another",
                    "quote": quote,
                    "readings": [
                        {"label": "as written", "left": [left], "op": "<=", "right": [right]}
                    ],
                }
            )
        else:
            claims.append(
                {
                    "id": f"claim-{number}",
                    "type": "compare",
                    "statement": "A part is below its total",
                    "quote": quote,
                    "readings": [
                        {"label": "as written", "left": parts[:3], "op": "<=", "right": [total_id]}
                    ],
                }
            )


def main(argv: list[str]) -> int:
    if len(argv) != 3 or not argv[1].isdigit() or int(argv[1]) < 2:
        print("usage: python bench/generate.py N OUT_DIR   (N >= 2)", file=sys.stderr)
        return 2
    out = Path(argv[2])
    out.mkdir(parents=True, exist_ok=True)
    dataset, article = generate(int(argv[1]))
    (out / "article.txt").write_text(article, encoding="utf-8")
    (out / "dataset.json").write_text(json.dumps(dataset, indent=1) + "\n", encoding="utf-8")
    rng = random.Random(len(dataset["figures"]))
    for key in ("figures", "claims"):
        rng.shuffle(dataset[key])
    shuffled = json.dumps(dataset, indent=1) + "\n"
    (out / "dataset-shuffled.json").write_text(shuffled, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
