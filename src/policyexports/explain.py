"""What ``explain`` shows: the sentence of a figure or claim, its figures, its arithmetic."""

from __future__ import annotations

from typing import NamedTuple

from policyexports.checks import check_claim
from policyexports.errors import UnknownValueError, quoted_input
from policyexports.lookup import closest, find
from policyexports.models import KIND_LABEL, Dataset, Figure
from policyexports.quantities import DisplayUnit, Unit
from policyexports.ranges import face_bounds, rounding_bounds
from policyexports.showwork import (
    OPERATOR_SIGN,
    bounds_text,
    date_text,
    entity_word,
    expression,
    miss_text,
    near,
    needed_text,
    number,
    result_text,
    summary,
)
from policyexports.verdicts import ROLE_LABEL, Basis, ClaimCheck, Operation, ReadingCheck, Verdict

_SENTENCE_ENDS = ".!?"
_CLOSERS = "\"'”’)"
_BULLETS = "•*-–· \t"


class Sentence(NamedTuple):
    """The full sentence of the article around a quote, and where the quote sits in it."""

    text: str
    start: int
    end: int

    @property
    def before(self) -> str:
        return self.text[: self.start]

    @property
    def quoted(self) -> str:
        return self.text[self.start : self.end]

    @property
    def after(self) -> str:
        return self.text[self.end :]


def find_sentence(article: str, quote: str) -> Sentence:
    """The sentence (or line) of ``article`` holding ``quote``; the quote alone if absent."""
    position = article.find(quote)
    if position < 0 or not quote:
        return Sentence(quote, 0, len(quote))
    start = position
    while start > 0:
        char = article[start - 1]
        if char == "\n" or (
            start < position and char in _SENTENCE_ENDS and article[start].isspace()
        ):
            break
        start -= 1
    end = position + len(quote)
    if quote[-1] not in _SENTENCE_ENDS:
        while end < len(article) and article[end] != "\n":
            end += 1
            if article[end - 1] in _SENTENCE_ENDS and (
                end == len(article) or article[end].isspace() or article[end] in _CLOSERS
            ):
                break
    # why: trim the bullet and spaces around the sentence, never any of the quote itself
    head = article[start:position].lstrip(_BULLETS)
    tail = article[position + len(quote) : end].rstrip()
    return Sentence(head + quote + tail, len(head), len(head) + len(quote))


class FigureExplanation(NamedTuple):
    """A figure: what it states, where, how precisely, and the claims that test it."""

    figure: Figure
    sentence: Sentence
    facts: tuple[tuple[str, str], ...]
    claims: tuple[ClaimCheck, ...]


class ClaimExplanation(NamedTuple):
    """A claim: its sentence, the figures it uses, and each reading's arithmetic."""

    check: ClaimCheck
    sentence: Sentence
    steps: tuple[tuple[str | None, tuple[str, ...]], ...]  # (reading label, steps)


Explanation = FigureExplanation | ClaimExplanation


def _figure_facts(figure: Figure, dataset: Dataset, display: DisplayUnit) -> list[tuple[str, str]]:
    quantity = figure.value
    face, interval = face_bounds(quantity), rounding_bounds(quantity)
    facts = [
        ("label", figure.label),
        ("kind", KIND_LABEL[figure.kind]),
        ("written", quantity.written),
        ("value", bounds_text(face, quantity.unit, display)),
        ("admits", bounds_text(interval, quantity.unit, display)),
    ]
    if quantity.unit.value == "KRW":
        facts.append(("in won", bounds_text(face, quantity.unit, DisplayUnit.WON)))
    names = {o.id: o.name for o in dataset.organizations}
    cities = {c.id: c.name for c in dataset.cities}
    countries = {c.code: c.name for c in dataset.countries}
    if figure.earner is not None:
        facts.append(("earner", names.get(figure.earner, figure.earner)))
    if figure.partners:
        shown = [
            cities.get(p.city, p.city) if p.city else countries.get(str(p.country), str(p.country))
            for p in figure.partners
        ]
        facts.append(("partners", ", ".join(shown)))
    if figure.sectors:
        facts.append(("sectors", ", ".join(figure.sectors)))
    if figure.total:
        facts.append(("total", "states a sum of other money; never added to figures"))
    if figure.part_of is not None:
        facts.append(("part of", figure.part_of))
    if figure.note is not None:
        facts.append(("note", figure.note))
    return facts


def _term_line(reading: ReadingCheck, role: str, display: DisplayUnit) -> str:
    term = reading.term(role)
    ids = " + ".join(operand.figure for operand in term.operands)
    return f"{ROLE_LABEL[role]} = {ids} = {expression(term, display)}"


def _compare_ends(reading: ReadingCheck, display: DisplayUnit) -> tuple[str, str, str, str]:
    """Result, exact target, tolerance and admissible range of a compare, as text."""
    unit = reading.term("left").operands[0].unit
    op = OPERATOR_SIGN[reading.op.value] if reading.op is not None else "?"
    right = reading.term("right")
    return (
        bounds_text(reading.result, unit, display),
        f"{op} {bounds_text(right.face, unit, display)}",
        f"{op} {bounds_text(right.interval, unit, display)}",
        bounds_text(reading.admissible, unit, display),
    )


def _conclusion(reading: ReadingCheck, display: DisplayUnit) -> str:
    unit, ends = reading.unit, near(reading)
    result = result_text(reading, display)
    exact = bounds_text(reading.exact, unit, display)
    tolerance = bounds_text(reading.tolerance, unit, display)
    admissible = bounds_text(reading.admissible, unit, display, ends)
    if reading.operation is Operation.COMPARE:
        result, exact, tolerance, admissible = _compare_ends(reading, display)
        unit = reading.term("left").operands[0].unit
    if reading.operation is Operation.PARTS_WITHIN_TOTAL:
        exact = exact.replace("at most", "≤")
        tolerance = tolerance.replace("at most", "≤").replace("under", "<")
    verdict, miss = reading.verdict, reading.miss
    if reading.operation is Operation.COUNT_NAMED and reading.stated is not None:
        counted = f"{len(reading.named)} {entity_word(reading)} named"
        claimed = f"{reading.stated.written} claimed"
        if verdict is Verdict.UNVERIFIABLE:
            return f"{counted}, {claimed}: consistent, not verifiable: cannot be verified"
        if miss is not None:
            return f"{counted}, {claimed}: fails, {miss_text(reading, display)}"
        return f"{counted}, {claimed}: {verdict.label}"
    single = reading.result.is_point
    if verdict is Verdict.HOLDS:
        return (
            f"{result} meets {exact}: holds" if single else f"all of {result} meets {exact}: holds"
        )
    if verdict is Verdict.WITHIN_ROUNDING and reading.basis is Basis.STATED:
        if single:
            return f"{result} is not {exact} but meets {tolerance}: holds within rounding"
        return f"{result} is not exactly {exact} but lies within {tolerance}: holds within rounding"
    if reading.partly:
        return (
            f"{result} is not exactly {exact}, and only part of it lies within {tolerance} (the "
            "rest is outside even the rounding): holds within rounding, for some of the "
            "values the inputs admit"
        )
    if verdict is Verdict.WITHIN_ROUNDING:
        return (
            f"at face value {result} misses {tolerance}; with every input anywhere in its own "
            f"rounding it can be {admissible}, which meets it: holds within rounding"
        )
    if verdict is Verdict.FAILS and miss is not None:
        return (
            f"{result} misses {tolerance}, even with every input's rounding ({admissible}): "
            f"fails, {miss_text(reading, display)}"
        )
    if verdict is Verdict.HOLDS_ONLY_IF and reading.needed is not None:
        return (
            f"{result} falls short of {tolerance}: holds only with "
            f"{needed_text(reading.needed, display)}"
        )
    if verdict is Verdict.UNVERIFIABLE and reading.reason is not None:
        if reading.result.low is None and reading.result.high is None:
            return f"cannot be verified, because {reading.reason}"
        return f"{result} against {exact}: cannot be verified, because {reading.reason}"
    return f"{summary(reading, display)}: {verdict.label}"


def reading_steps(reading: ReadingCheck, display: DisplayUnit) -> tuple[str, ...]:
    """The arithmetic of one reading, one step a line."""
    steps: list[str] = []
    operation = reading.operation
    stated = reading.stated
    if operation is Operation.COUNT_NAMED:
        what = (
            "cities"
            if reading.entity is not None and reading.entity.value == "city"
            else ("countries")
        )
        named = ", ".join(reading.named) or "none"
        steps.append(f"partner {what} the dataset names: {named} ({len(reading.named)})")
    elif operation is Operation.SPAN:
        for role in ("start", "end"):
            operand = reading.term(role).operands[0]
            low, high = operand.interval.low, operand.interval.high
            if low is not None and high is not None:
                steps.append(
                    f"{role} = {operand.figure} = {operand.written}: any time from "
                    f"{date_text(low)} up to (not including) {date_text(high)}"
                )
        steps.append(f"span = end - start = {result_text(reading, display)}")
    else:
        for term in reading.terms:
            steps.append(_term_line(reading, term.role, display))
    computed = reading.result.low is not None or reading.result.high is not None
    if operation is Operation.SHARE and computed:
        numerator = reading.term("numerator").face
        denominator = reading.term("denominator").face
        unit = reading.term("numerator").operands[0].unit
        steps.append(
            f"share = {bounds_text(numerator, unit, display)} / "
            f"{bounds_text(denominator, unit, display)} x 100 = {result_text(reading, display)}"
        )
    if operation is Operation.PARTS_WITHIN_TOTAL and stated is not None:
        for part in reading.parts:
            if part.share is not None:
                share = number(part.share * 100, Unit.PERCENT, display)
                steps.append(f"{part.figure} is {share} of the total")
        if reading.remainder is not None and reading.miss is None:
            remainder = bounds_text(reading.remainder, stated.unit, display)
            steps.append(
                f"remainder = total - parts = {remainder}: the parts exceed the total at face value"
                if reading.remainder.negative
                else f"unattributed remainder = total - parts = {remainder}"
            )
    if stated is not None:
        face = bounds_text(stated.face, stated.unit, display)
        interval = bounds_text(stated.interval, stated.unit, display)
        steps.append(
            f"stated: {stated.figure} = {stated.written}: {face}"
            + ("" if face == interval else f" exactly, {interval} with its rounding")
        )
    if reading.note is not None:
        steps.append(f"note: {reading.note}")
    steps.append(_conclusion(reading, display))
    return tuple(steps)


def explain_claim(check: ClaimCheck, article: str, display: DisplayUnit) -> ClaimExplanation:
    return ClaimExplanation(
        check=check,
        sentence=find_sentence(article, check.quote),
        steps=tuple((r.label, reading_steps(r, display)) for r in check.readings),
    )


def explain(dataset: Dataset, article: str, ref: str, display: DisplayUnit) -> Explanation:
    """Explain the figure or claim ``ref`` (in any case); ``UnknownValueError`` names the
    closest ids."""
    claims = {claim.id: claim for claim in dataset.claims}
    claim = claims.get(find(ref, list(claims)) or "")
    if claim is not None:
        return explain_claim(check_claim(claim, dataset), article, display)
    wanted = find(ref, [f.id for f in dataset.figures])
    figure = next((f for f in dataset.figures if f.id == wanted), None)
    if figure is None:
        known = [f.id for f in dataset.figures] + [c.id for c in dataset.claims]
        raise UnknownValueError(
            f"no figure or claim {quoted_input(ref)}{closest(ref, known)}; "
            "see `policyexports list` for figures and `policyexports check` for claims"
        )
    users = tuple(
        check_claim(claim, dataset)
        for claim in dataset.claims
        if any(used == figure.id for _, used in claim.figure_refs())
    )
    return FigureExplanation(
        figure=figure,
        sentence=find_sentence(article, figure.quote),
        facts=tuple(_figure_facts(figure, dataset, display)),
        claims=users,
    )
