"""What a check of a claim finds: verdicts, the rules that give them, and the work behind each."""

# why: annotations are evaluated, not kept as text: typing.NamedTuple compiles each text
# annotation of its fields, about 20 us a field, on every run's start-up

from collections import Counter
from collections.abc import Sequence
from enum import StrEnum
from fractions import Fraction
from typing import NamedTuple

from policyexports.claims import EntityType, Operator
from policyexports.models import Kind
from policyexports.quantities import Bound, Unit
from policyexports.ranges import INTEGRAL_UNITS, Bounds, Shift, gap, inside, meets, sum_bounds


class Verdict(StrEnum):
    """What the data says about a claim, or about one reading of it."""

    HOLDS = "holds"
    WITHIN_ROUNDING = "holds_within_rounding"
    FAILS = "fails"
    UNVERIFIABLE = "cannot_be_verified"
    HOLDS_ONLY_IF = "holds_only_if"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ")

    @property
    def passes(self) -> bool:
        return self in (Verdict.HOLDS, Verdict.WITHIN_ROUNDING)


class Operation(StrEnum):
    """The arithmetic a reading performs before comparing."""

    PARTS_WITHIN_TOTAL = "parts_within_total"
    SHARE = "share"
    SUM = "sum"
    COUNT_NAMED = "count_named"
    COMPARE = "compare"
    SPAN = "span"


class Basis(StrEnum):
    """Why a reading holds within rounding."""

    STATED = "stated"  # every face-value result lies inside the stated figure's rounding
    INPUTS = "inputs"  # only some of the values the inputs admit (with their rounding) reach it


class Judgement(NamedTuple):
    verdict: Verdict
    basis: Basis | None = None
    miss: Shift | None = None
    reason: str | None = None  # why the data cannot decide (for cannot be verified)


class Target(NamedTuple):
    """What a result must be for a claim to hold.

    ``exact``: the results that satisfy the claim for some face value of what they are compared
    with; ``every``: for every face value (``None``: no result does); ``tolerance``: for some
    value the compared figure admits with its rounding. ``rounding_only`` when ``tolerance``
    widens ``exact`` by rounding alone (a stated figure, or a side compared with one value).
    """

    exact: Bounds
    tolerance: Bounds
    every: Bounds | None
    rounding_only: bool = True

    @classmethod
    def stated(cls, exact: Bounds, tolerance: Bounds) -> "Target":
        """A stated figure: the set of results the claim names ("70 percent", "over 1 trillion")."""
        return cls(exact, tolerance, exact)


def judge(
    result: Bounds,
    admissible: Bounds,
    target: Target,
    *,
    whole: bool,
    bounds: Sequence[str] = (),
    result_bound: bool = False,
    target_bound: bool = False,
) -> Judgement:
    """Holds, holds within the stated or the inputs' rounding, fails, or cannot be verified.

    Holds only when every value of the face-value ``result`` satisfies the claim. When only
    some do, it holds within rounding, unless a figure is only a bound (``bounds``, as
    written), which leaves the data unable to decide. With ``whole`` (won, counts) values are
    whole numbers: "under 1 billion" won is at most 999,999,999 and cannot reach "over 1
    billion". ``result_bound`` and ``target_bound`` say that side is a figure given only as a
    bound, so a miss against it is "more than" the distance to the bound (see ``gap``).
    """
    if inside(result, target.every, whole=whole):
        return Judgement(Verdict.HOLDS)
    if not meets(result, target.tolerance, whole=whole):
        if meets(admissible, target.tolerance, whole=whole):
            return Judgement(Verdict.WITHIN_ROUNDING, Basis.INPUTS)
        # why: how far it fails whatever the inputs' rounding: the distance that decided the
        # verdict, not the larger one at the inputs' face value (which is ``face_miss``'s)
        miss = gap(
            admissible,
            target.tolerance,
            whole=whole,
            result_bound=result_bound,
            target_bound=target_bound,
        )
        return Judgement(Verdict.FAILS, miss=miss)
    if target.rounding_only and inside(result, target.tolerance, whole=whole):
        return Judgement(Verdict.WITHIN_ROUNDING, Basis.STATED)
    if bounds:
        shown = " and ".join(f"'{text}'" for text in dict.fromkeys(bounds))
        what = (
            "are only bounds: some values they admit"
            if len(set(bounds)) > 1
            else "is only a bound: some values it admits"
        )
        return Judgement(
            Verdict.UNVERIFIABLE, reason=f"{shown} {what} satisfy the claim, others do not"
        )
    return Judgement(Verdict.WITHIN_ROUNDING, Basis.INPUTS)


ROLE_LABEL = {  # how each side of a computation is called in words
    "numerator": "numerator",
    "denominator": "denominator",
    "counted": "sum",
    "parts": "parts",
    "left": "left side",
    "right": "right side",
    "start": "start",
    "end": "end",
}


class Operand(NamedTuple):
    """A figure used by a check, as written and as exact numbers."""

    figure: str
    label: str
    kind: Kind
    written: str
    unit: Unit
    value: Fraction  # the nominal value (the low end of a range)
    face: Bounds
    interval: Bounds
    month: int | None = None
    bound: Bound = Bound.ROUNDED

    @property
    def is_bound(self) -> bool:
        """Whether the article gives only a bound ("over", "at least", "less than")."""
        return self.bound in (Bound.OVER, Bound.AT_LEAST, Bound.UNDER)


class Term(NamedTuple):
    """A named side of a computation (numerator, parts, start, ...) and its sum.

    ``whole_interval`` is ``interval`` as the sum of the whole numbers (won, counts) it is,
    for judging and for the amounts a row names; for other units, ``interval`` itself.
    why: each figure is a whole number of won within its own rounding, so 992.77 and 4.0144
    billion add up to at most 992,774,999,999 + 4,014,449,999 won; the sum of their open
    intervals, taken as whole numbers afterwards, allowed one won more.
    """

    role: str
    operands: tuple[Operand, ...]
    face: Bounds
    interval: Bounds
    whole_interval: Bounds

    @classmethod
    def summed(cls, role: str, operands: tuple[Operand, ...]) -> "Term":
        interval = sum_bounds([operand.interval for operand in operands])
        face = sum_bounds([operand.face for operand in operands])
        return cls(role, operands, face, interval, _whole_sum(operands, interval))


def _whole_sum(operands: tuple[Operand, ...], interval: Bounds) -> Bounds:
    """The whole numbers the operands can add up to, written as ``interval`` is written."""
    if len(operands) == 1 and _whole_ended(interval):
        return interval  # why: one amount in won, [a, b): already written so (most terms)
    if any(
        # why: a bound ("over KRW 1 trillion") keeps its open end, which says "more than"
        operand.unit not in INTEGRAL_UNITS or operand.is_bound
        for operand in operands
    ):
        return interval
    # why: in integers; Fraction arithmetic for every term took a quarter of checking claims
    low: int | None = 0
    high: int | None = 0
    for operand in operands:
        ends = operand.interval.whole_ends()
        if ends is None:
            return interval  # why: it holds no whole number ("half a city")
        low = None if low is None or ends[0] is None else low + ends[0]
        high = None if high is None or ends[1] is None else high + ends[1]
    if low is not None and low == high:
        return Bounds.point(Fraction(low))  # why: "3 + 3 cities" is 6, shown as 6
    start = None if low is None else Fraction(low)
    if high is None or interval.high_closed:
        return Bounds(start, None if high is None else Fraction(high))
    # why: the same whole numbers, written as the interval was ([992.765, 992.775) billion
    # rather than [992.765, 992.774999999]), so that a single figure reads as before
    return Bounds(start, Fraction(high + 1), True, False)


def _whole_ended(bounds: Bounds) -> bool:
    """Whether ``bounds`` is [a, b) or [a, b] of whole numbers a and b (or unbounded)."""
    low, high = bounds.low, bounds.high
    return (low is None or (low.denominator == 1 and bounds.low_closed)) and (
        high is None or high.denominator == 1
    )


class PartShare(NamedTuple):
    """One named part of a stated total and its exact share of the total."""

    figure: str
    share: Fraction | None  # None when the total is zero or unbounded


class Needed(NamedTuple):
    """Unreported money a claim needs: at least ``at_least`` won, at most ``at_most``, with the
    counted figures anywhere in their rounding; ``at_face_value`` is the least at their face."""

    what: str
    at_least: Fraction
    strict: bool
    at_most: Fraction | None
    at_face_value: Fraction


class ReadingCheck(NamedTuple):
    """One reading of a claim, checked: inputs, operation, result, tolerance and verdict.

    ``result`` is the computed value at the figures' face value (a single number unless an
    input is a range or a bound), ``admissible`` what it can be once every input's rounding is
    respected; ``exact`` is what the claim says at face value (the stated figure, or what
    stands in the claim's order to the other side) and ``tolerance`` what it admits with
    the written precision. It holds only when every value of ``result`` satisfies the claim.
    """

    label: str | None
    operation: Operation
    unit: Unit
    terms: tuple[Term, ...]
    stated: Operand | None
    result: Bounds
    admissible: Bounds
    exact: Bounds
    tolerance: Bounds
    verdict: Verdict
    basis: Basis | None = None
    miss: Shift | None = None
    needed: Needed | None = None
    op: Operator | None = None
    parts: tuple[PartShare, ...] = ()
    remainder: Bounds | None = None
    entity: EntityType | None = None
    named: tuple[str, ...] = ()
    note: str | None = None  # what the reading adds across kinds, said plainly
    reason: str | None = None  # why it cannot be verified
    result_bound: bool = False  # the result is a figure given only as a bound ("over ...")
    target_bound: bool = False  # so is what it is compared with: a miss is "more than"

    @property
    def face_miss(self) -> Shift | None:
        """For a reading that fails, its miss at face value (``miss`` is beyond the rounding)."""
        if self.miss is None:
            return None
        return gap(
            self.result,
            self.exact,
            whole=self.unit in INTEGRAL_UNITS,
            result_bound=self.result_bound,
            target_bound=self.target_bound,
        )

    @property
    def partly(self) -> bool:
        """Whether it holds within rounding for only part of its face-value result."""
        whole = self.unit in INTEGRAL_UNITS
        return self.basis is Basis.INPUTS and meets(self.result, self.tolerance, whole=whole)

    def term(self, role: str) -> Term:
        return next(term for term in self.terms if term.role == role)

    @property
    def operands(self) -> tuple[Operand, ...]:
        """Every figure used, stated figure first, each once."""
        seen: dict[str, Operand] = {}
        for operand in (
            *((self.stated,) if self.stated else ()),
            *(o for t in self.terms for o in t.operands),
        ):
            seen.setdefault(operand.figure, operand)
        return tuple(seen.values())


def combine(readings: tuple[ReadingCheck, ...]) -> tuple[Verdict, tuple[str, ...]]:
    """A claim's verdict from its readings', and the readings it holds under if only some."""
    verdicts = [reading.verdict for reading in readings]
    labels = [reading.label or "" for reading in readings]
    if len(set(verdicts)) == 1:
        return verdicts[0], ()
    if all(v.passes for v in verdicts):
        return Verdict.WITHIN_ROUNDING, ()  # why: what holds whichever way the claim is read
    if any(v.passes for v in verdicts):
        return Verdict.HOLDS_ONLY_IF, tuple(
            label for label, v in zip(labels, verdicts, strict=True) if v.passes
        )
    if Verdict.HOLDS_ONLY_IF in verdicts:
        return Verdict.HOLDS_ONLY_IF, tuple(
            label for label, v in zip(labels, verdicts, strict=True) if v is Verdict.HOLDS_ONLY_IF
        )
    if Verdict.UNVERIFIABLE in verdicts:
        return Verdict.UNVERIFIABLE, ()
    return Verdict.FAILS, ()


class ClaimCheck(NamedTuple):
    """A claim and its verdict, with every reading checked side by side."""

    id: str
    type: str
    statement: str
    quote: str
    verdict: Verdict
    readings: tuple[ReadingCheck, ...]
    holds_if_read_as: tuple[str, ...] = ()  # why: set when only some readings hold
    inferred: bool = False  # a consistency check the dataset adds, not the article's assertion

    @property
    def needs(self) -> tuple[Needed, ...]:
        return tuple(r.needed for r in self.readings if r.needed is not None)


class CheckReport(NamedTuple):
    """Every claim checked, in dataset order."""

    checks: tuple[ClaimCheck, ...]

    @property
    def counts(self) -> dict[Verdict, int]:
        """How many claims got each verdict, every verdict named."""
        counts = Counter(check.verdict for check in self.checks)
        return {verdict: counts[verdict] for verdict in Verdict}

    @property
    def inferred(self) -> int:
        """How many of the claims are checks the dataset adds (the rest the article states)."""
        return sum(check.inferred for check in self.checks)

    def failing(self, *, strict: bool) -> tuple[str, ...]:
        """Ids of the claims that make ``check`` fail (with ``strict``, unverifiable ones too)."""
        bad = {Verdict.FAILS, Verdict.UNVERIFIABLE} if strict else {Verdict.FAILS}
        return tuple(check.id for check in self.checks if check.verdict in bad)
