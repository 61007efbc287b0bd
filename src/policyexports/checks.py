"""Checking a dataset's claims against its figures: one function per kind of claim, exact."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from typing import assert_never

from policyexports.claims import (
    Claim,
    Compare,
    CompareReading,
    Duration,
    DurationReading,
    EntityType,
    NamedCount,
    Operator,
    PartsWithinTotal,
    Share,
    ShareReading,
    Total,
    TotalReading,
)
from policyexports.errors import UnknownValueError
from policyexports.lookup import select_claims
from policyexports.models import KIND_LABEL, Dataset, Figure, Role
from policyexports.ranges import (
    INTEGRAL_UNITS,
    Bounds,
    Direction,
    face_bounds,
    gap,
    op_every,
    op_target,
    ratio_bounds,
    room,
    rounding_bounds,
)
from policyexports.verdicts import (
    ROLE_LABEL,
    CheckReport,
    ClaimCheck,
    Needed,
    Operand,
    Operation,
    PartShare,
    ReadingCheck,
    Target,
    Term,
    Verdict,
    combine,
    judge,
)


class _Figures:
    """The dataset's figures by id, as operands."""

    def __init__(self, dataset: Dataset) -> None:
        self.dataset = dataset
        self.by_id: dict[str, Figure] = {figure.id: figure for figure in dataset.figures}
        # why: claims share their figures (the bundled ones make 66 operands of 22), and an
        # operand's exact bounds are a third of what checking the claims costs
        self._operands: dict[str, Operand] = {}

    def operand(self, ref: str) -> Operand:
        made = self._operands.get(ref)
        if made is None:
            made = self._operands[ref] = self._operand(ref)
        return made

    def _operand(self, ref: str) -> Operand:
        figure = self.by_id.get(ref)
        if figure is None:
            raise UnknownValueError(f"a claim refers to unknown figure {ref!r}")
        quantity = figure.value
        return Operand(
            figure=figure.id,
            label=figure.label,
            kind=figure.kind,
            written=quantity.written,
            unit=quantity.unit,
            value=quantity.exact,
            face=face_bounds(quantity),
            interval=rounding_bounds(quantity),
            month=quantity.month,
            bound=quantity.bound,
        )

    def term(self, role: str, refs: Iterable[str]) -> Term:
        return Term.summed(role, tuple(self.operand(ref) for ref in refs))


def _mixed_kinds(terms: Iterable[Term]) -> str | None:
    """ "the parts add contract value (seoul-metro) to revenue earned", when a sum mixes kinds."""
    # why: kinds are never added silently; when a claim's reading adds them, say so
    notes = []
    for term in terms:
        kinds = Counter(operand.kind for operand in term.operands)
        if len(kinds) < 2:
            continue
        base = kinds.most_common(1)[0][0]
        added: dict[str, list[str]] = {}
        for operand in term.operands:
            if operand.kind is not base:
                added.setdefault(KIND_LABEL[operand.kind], []).append(operand.figure)
        shown = " and ".join(f"{kind} ({', '.join(ids)})" for kind, ids in added.items())
        verb = "add" if term.role == "parts" else "adds"
        notes.append(f"the {ROLE_LABEL[term.role]} {verb} {shown} to {KIND_LABEL[base]}")
    return "; ".join(notes) or None


def _bounds(*terms: Term | Operand) -> tuple[str, ...]:
    """The figures, as written, that the article gives only as bounds ("over KRW 1 trillion")."""
    operands = [o for t in terms for o in (t.operands if isinstance(t, Term) else (t,))]
    return tuple(dict.fromkeys(o.written for o in operands if o.is_bound))


def _parts_within_total(claim: PartsWithinTotal, figures: _Figures) -> ClaimCheck:
    total = figures.operand(claim.total)
    parts = figures.term("parts", claim.parts)
    at_most = Operator.LE
    target = Target(
        op_target(at_most, total.face),
        op_target(at_most, total.interval),
        op_every(at_most, total.face),
        rounding_only=total.face.is_point,
    )
    result_bound, target_bound = bool(_bounds(parts)), total.is_bound
    verdict, basis, miss, reason = judge(
        parts.face,
        parts.whole_interval,
        target,
        whole=True,
        bounds=_bounds(parts, total),
        result_bound=result_bound,
        target_bound=target_bound,
    )
    remainder = total.face + (-parts.face)
    shares = tuple(
        PartShare(
            operand.figure,
            operand.value / total.value if total.face.is_point and total.value else None,
        )
        for operand in parts.operands
    )
    reading = ReadingCheck(
        label=None,
        operation=Operation.PARTS_WITHIN_TOTAL,
        unit=total.unit,
        terms=(parts,),
        stated=total,
        result=parts.face,
        admissible=parts.whole_interval,
        exact=target.exact,
        tolerance=target.tolerance,
        verdict=verdict,
        basis=basis,
        miss=miss,
        parts=shares,
        # why: where the parts fit, what is left of the total cannot be negative; but where
        # they fit only within its rounding, at face value they exceed it, and say by how much
        remainder=remainder
        if verdict is Verdict.FAILS or remainder.negative
        else remainder.non_negative(),
        note=_mixed_kinds([parts]),
        reason=reason,
        result_bound=result_bound,
        target_bound=target_bound,
    )
    return _claim_check(claim, (reading,))


def _share_reading(reading: ShareReading, stated: Operand, figures: _Figures) -> ReadingCheck:
    numerator = figures.term("numerator", reading.numerator)
    denominator = figures.term("denominator", reading.denominator)
    top, bottom = Counter(reading.numerator), Counter(reading.denominator)
    operands = {o.figure: o for o in numerator.operands + denominator.operands}
    face = ratio_bounds(top, bottom, {ref: o.face for ref, o in operands.items()})
    admissible = ratio_bounds(top, bottom, {ref: o.interval for ref, o in operands.items()})
    verdict, basis, miss = Verdict.UNVERIFIABLE, None, None
    reason: str | None = "the denominator adds up to zero: no share can be computed"
    if face is not None and admissible is not None:
        target = Target.stated(stated.face, stated.interval)
        bounds = _bounds(numerator, denominator)
        verdict, basis, miss, reason = judge(face, admissible, target, whole=False, bounds=bounds)
    unknown = Bounds(None, None, False, False)
    return ReadingCheck(
        label=reading.label,
        operation=Operation.SHARE,
        unit=stated.unit,
        terms=(numerator, denominator),
        stated=stated,
        result=face or unknown,
        admissible=admissible or unknown,
        exact=stated.face,
        tolerance=stated.interval,
        verdict=verdict,
        basis=basis,
        miss=miss,
        note=_mixed_kinds([numerator, denominator]),
        reason=reason,
    )


def _share(claim: Share, figures: _Figures) -> ClaimCheck:
    stated = figures.operand(claim.stated)
    return _claim_check(
        claim, tuple(_share_reading(reading, stated, figures) for reading in claim.readings)
    )


def _total_reading(reading: TotalReading, stated: Operand, figures: _Figures) -> ReadingCheck:
    counted = figures.term("counted", reading.counted)
    target = Target.stated(stated.face, stated.interval)
    # why: a stated "over KRW 1 trillion" is the threshold the claim names, not an unknown
    # amount, so missing it is measured exactly, to the won; only the sum may be a bound
    result_bound = bool(_bounds(counted))
    verdict, basis, miss, reason = judge(
        counted.face,
        counted.whole_interval,
        target,
        whole=True,
        bounds=_bounds(counted),
        result_bound=result_bound,
    )
    needed = None
    if (
        verdict is Verdict.FAILS
        and miss is not None
        and miss.direction is Direction.BELOW
        and reading.unreported is not None
    ):
        # why: money the article says exists but does not report can only add; say how much,
        # in whole won: the least that can be enough ("at least 2 won", not "more than 1"),
        # and the most that can fit, each with the counted figures anywhere in their rounding,
        # so that the condition is one the claim cannot hold without
        least = gap(counted.whole_interval, stated.interval, whole=True) or miss
        face = gap(counted.face, stated.interval, whole=True) or least
        needed = Needed(
            reading.unreported,
            least.amount,
            least.strict,
            room(counted.whole_interval, stated.interval, whole=True),
            face.amount,
        )
        verdict, miss = Verdict.HOLDS_ONLY_IF, None
    return ReadingCheck(
        label=reading.label,
        operation=Operation.SUM,
        unit=stated.unit,
        terms=(counted,),
        stated=stated,
        result=counted.face,
        admissible=counted.whole_interval,
        exact=stated.face,
        tolerance=stated.interval,
        verdict=verdict,
        basis=basis,
        miss=miss,
        needed=needed,
        note=_mixed_kinds([counted]),
        reason=reason,
        result_bound=result_bound,
    )


def _total(claim: Total, figures: _Figures) -> ClaimCheck:
    stated = figures.operand(claim.stated)
    return _claim_check(
        claim, tuple(_total_reading(reading, stated, figures) for reading in claim.readings)
    )


def named_partners(dataset: Dataset, entity: EntityType, scope: str | None) -> tuple[str, ...]:
    """Names of the distinct partner cities or countries the dataset names, in dataset order."""
    cities = {city.id: city for city in dataset.cities}
    countries = {country.code: country for country in dataset.countries}
    if scope is None:
        city_ids = [city.id for city in dataset.cities if city.role is Role.PARTNER]
        codes = [country.code for country in dataset.countries if country.role is Role.PARTNER]
        codes += [cities[ref].country for ref in city_ids]
    else:
        figure = next((f for f in dataset.figures if f.id == scope), None)
        city_ids, codes = [], []
        for partner in figure.partners if figure is not None else ():
            city = cities.get(partner.city) if partner.city is not None else None
            if city is not None:
                city_ids.append(city.id)
            code = partner.country or (city.country if city is not None else None)
            if code is not None:
                codes.append(code)
    if entity is EntityType.CITY:
        return tuple(cities[ref].name for ref in dict.fromkeys(city_ids))
    return tuple(
        countries[code].name if code in countries else code for code in dict.fromkeys(codes)
    )


def _named_count(claim: NamedCount, figures: _Figures) -> ClaimCheck:
    stated = figures.operand(claim.stated)
    names = named_partners(figures.dataset, claim.entity, claim.scope)
    count = Bounds.point(len(names))
    target = Target.stated(stated.face, stated.interval)
    verdict, basis, miss, reason = judge(count, count, target, whole=True)
    if miss is not None and miss.direction is Direction.BELOW:
        # why: an article may name fewer places than it counts; that is not a contradiction
        verdict, miss = Verdict.UNVERIFIABLE, None
        reason = "the article names fewer than it counts"
    reading = ReadingCheck(
        label=None,
        operation=Operation.COUNT_NAMED,
        unit=stated.unit,
        terms=(),
        stated=stated,
        result=count,
        admissible=count,
        exact=stated.face,
        tolerance=stated.interval,
        verdict=verdict,
        basis=basis,
        miss=miss,
        entity=claim.entity,
        named=names,
        reason=reason,
    )
    return _claim_check(claim, (reading,))


def _compare_reading(reading: CompareReading, figures: _Figures) -> ReadingCheck:
    left = figures.term("left", reading.left)
    right = figures.term("right", reading.right)
    unit = left.operands[0].unit
    exact = op_target(reading.op, right.face)
    tolerance = op_target(reading.op, right.whole_interval)  # why: as the left side is judged
    target = Target(
        exact, tolerance, op_every(reading.op, right.face), rounding_only=right.face.is_point
    )
    result_bound, target_bound = bool(_bounds(left)), bool(_bounds(right))
    verdict, basis, miss, reason = judge(
        left.face,
        left.whole_interval,
        target,
        whole=unit in INTEGRAL_UNITS,
        bounds=_bounds(left, right),
        result_bound=result_bound,
        target_bound=target_bound,
    )
    return ReadingCheck(
        label=reading.label,
        operation=Operation.COMPARE,
        unit=unit,
        terms=(left, right),
        stated=None,
        result=left.face,
        admissible=left.whole_interval,
        exact=exact,
        tolerance=tolerance,
        verdict=verdict,
        basis=basis,
        miss=miss,
        op=reading.op,
        note=_mixed_kinds([left, right]),
        reason=reason,
        result_bound=result_bound,
        target_bound=target_bound,
    )


def _compare(claim: Compare, figures: _Figures) -> ClaimCheck:
    return _claim_check(
        claim, tuple(_compare_reading(reading, figures) for reading in claim.readings)
    )


def _duration_reading(reading: DurationReading, stated: Operand, figures: _Figures) -> ReadingCheck:
    start, end = figures.term("start", [reading.start]), figures.term("end", [reading.end])
    # why: "since 2006" is any moment of 2006, "June 2016" any of June: the span is a range.
    # It runs from its start to its end, so it is never negative: from "2006" to another
    # "2006" it is anything from none to a year, not from minus a year (a span wholly
    # reversed is refused when the dataset is read)
    span_face = (end.face + (-start.face)).non_negative()
    span = (end.interval + (-start.interval)).non_negative()
    target = Target.stated(stated.face, stated.interval)
    verdict, basis, miss, reason = judge(
        span_face, span, target, whole=False, bounds=_bounds(start, end)
    )
    return ReadingCheck(
        label=reading.label,
        operation=Operation.SPAN,
        unit=stated.unit,
        terms=(start, end),
        stated=stated,
        result=span_face,
        admissible=span,
        exact=stated.face,
        tolerance=stated.interval,
        verdict=verdict,
        basis=basis,
        miss=miss,
        reason=reason,
    )


def _duration(claim: Duration, figures: _Figures) -> ClaimCheck:
    stated = figures.operand(claim.stated)
    return _claim_check(
        claim, tuple(_duration_reading(reading, stated, figures) for reading in claim.readings)
    )


def _claim_check(claim: Claim, readings: tuple[ReadingCheck, ...]) -> ClaimCheck:
    """The claim's verdict from its readings', which are kept side by side."""
    verdict, read_as = combine(readings)
    return ClaimCheck(
        id=claim.id,
        type=claim.type,
        statement=claim.statement,
        quote=claim.quote,
        verdict=verdict,
        readings=readings,
        holds_if_read_as=read_as,
        inferred=claim.inferred,
    )


def check_claim(claim: Claim, dataset: Dataset) -> ClaimCheck:
    """Check one claim of ``dataset``."""
    return _dispatch(claim, _Figures(dataset))


def _dispatch(claim: Claim, figures: _Figures) -> ClaimCheck:
    """The one place that chooses the check for each kind of claim."""
    if isinstance(claim, PartsWithinTotal):
        return _parts_within_total(claim, figures)
    if isinstance(claim, Share):
        return _share(claim, figures)
    if isinstance(claim, Total):
        return _total(claim, figures)
    if isinstance(claim, NamedCount):
        return _named_count(claim, figures)
    if isinstance(claim, Compare):
        return _compare(claim, figures)
    if isinstance(claim, Duration):
        return _duration(claim, figures)
    assert_never(claim)


def check_dataset(dataset: Dataset, only: Sequence[str] = ()) -> CheckReport:
    """Check the claims of ``dataset`` (those in ``only`` if given)."""
    figures = _Figures(dataset)
    return CheckReport(tuple(_dispatch(claim, figures) for claim in select_claims(dataset, only)))
