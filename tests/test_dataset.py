"""The bundled dataset against its article, checked independently of the validator."""

from __future__ import annotations

import hashlib
import re
from decimal import Decimal

from builders import article_text, bundled_json

ARTICLE = article_text()
DATA = bundled_json()
SCALE = {"million": 10**6, "billion": 10**9, "trillion": 10**12}

# Every figure, read by hand from the article: id -> (kind, value, high).
EXPECTED = {
    "headline-total": ("revenue", 10**12, None),
    "headline-years": ("duration", 10, None),
    "opening-cities": ("count", 15, None),
    "opening-countries": ("count", 14, None),
    "seoul-population": ("count", 10_000_000, None),
    "seoul-age": ("duration", 2000, None),
    "hanseong-era": ("duration", 500, None),
    "decade": ("duration", 10, None),
    "over-1-trillion": ("revenue", 10**12, None),
    "exports-since": ("year", 2006, None),
    "export-cities": ("count", 32, None),
    "export-countries": ("count", 24, None),
    "export-occasions": ("count", 38, None),
    "business-revenue": ("revenue", 992_770_000_000, None),
    "earnings-likely-over-1-trillion": ("revenue", 10**12, None),
    "first-exports-year": ("year", 2004, None),
    "brunei-contract": ("contract_value", 13_500_000_000, None),
    "pmb-bridge-length": ("distance", Decimal("2.8"), None),
    "pmb-road-length": ("distance", Decimal("2.2"), None),
    "pmb-project-cost": ("project_cost", 500_000_000_000, None),
    "transport-reform-year": ("year", 2004, None),
    "transport-percent": ("share", 70, None),
    "bus-reform-year": ("year", 2004, None),
    "lg-cns": ("revenue", 644_500_000_000, None),
    "korea-smart-card": ("revenue", 48_250_000_000, None),
    "wellington-yearly": ("recurring_yearly", 400_000_000, 500_000_000),
    "seoul-metro": ("contract_value", 2_120_000_000, None),
    "assistance-exports": ("export_value", 4_014_400_000, None),
    "assistance-countries": ("count", 12, None),
    "visitor-period": ("duration", 3, None),
    "visitor-countries": ("count", 120, None),
    "topis-visitors": ("count", 16756, None),
    "topis-from": ("year", 2005, None),
    "topis-to": ("date", 2016, None),
    "development-span": ("duration", 50, None),
}
# Numbers in the article that are not figures of the article's subject, and why.
NOT_FIGURES = {"2123": "a page counter beside 'International Exchange SMG', not a statement"}


def _quotes() -> list[str]:
    found = [item["quote"] for item in DATA["figures"] + DATA["claims"]]
    for group in ("countries", "cities", "organizations"):
        found += [item["quote"] for item in DATA[group] if "quote" in item]
    return found


def test_source_checksum_matches_the_article() -> None:
    assert DATA["source"]["sha256"] == hashlib.sha256(ARTICLE.encode()).hexdigest()
    assert ARTICLE.count("’") > 0  # the curly apostrophes are kept, not straightened


def test_every_quote_is_in_the_article_verbatim() -> None:
    missing = [quote for quote in _quotes() if quote not in ARTICLE]
    assert missing == []


def test_every_figure_has_the_value_read_by_hand() -> None:
    # why: the canonical form writes non-integers as decimal strings ("2.8"), exact for any reader
    actual = {
        item["id"]: (
            item["kind"],
            item["value"]["value"]
            if isinstance(item["value"]["value"], int)
            else Decimal(item["value"]["value"]),
            item["value"].get("high"),
        )
        for item in DATA["figures"]
    }
    assert actual == EXPECTED


def test_money_in_each_quote_equals_the_parsed_won() -> None:
    # why: a separate reading of "KRW 644.5 billion" from the validator's own parser
    pattern = re.compile(r"KRW ([\d.]+)(?: to ([\d.]+))? (million|billion|trillion)", re.I)
    for item in DATA["figures"]:
        value = item["value"]
        if value["unit"] != "KRW":
            continue
        match = pattern.search(value["written"])
        assert match is not None, item["id"]
        assert match.group(0) in item["quote"]
        scale = SCALE[match.group(3).lower()]
        assert Decimal(match.group(1)) * scale == value["value"], item["id"]
        if match.group(2):
            assert Decimal(match.group(2)) * scale == value["high"], item["id"]
        assert isinstance(value["value"], int)  # canonical amounts are integers of won


def test_every_number_in_the_article_is_a_figure() -> None:
    spans: list[tuple[int, int]] = []
    for item in DATA["figures"]:
        quote, written = item["quote"], item["value"]["written"]
        for found in re.finditer(re.escape(quote), ARTICLE):
            start = found.start() + quote.index(written)
            spans.append((start, start + len(written)))
    uncovered = [
        number.group(0)
        for number in re.finditer(r"\d[\d,]*(?:\.\d+)?", ARTICLE)
        if number.group(0) not in NOT_FIGURES
        and not any(start <= number.start() < end for start, end in spans)
    ]
    assert uncovered == []


def test_partners_named_in_the_article() -> None:
    partner_countries = sorted(c["code"] for c in DATA["countries"] if c.get("role") is None)
    partner_cities = sorted(c["id"] for c in DATA["cities"] if c.get("role") is None)
    assert partner_countries == sorted(
        ["AZ", "BD", "BN", "CO", "GR", "MN", "MY", "NZ", "PE", "PH", "TH", "VN"]
    )
    assert len(partner_cities) == 8
