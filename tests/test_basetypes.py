"""The models' base: immutable, compared, hashed and pickled by their fields alone."""

from __future__ import annotations

import copy
import os
import pickle
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import FrozenInstanceError, dataclass, is_dataclass
from dataclasses import fields as dataclass_fields
from decimal import Decimal
from typing import Annotated, Any, ClassVar

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from policyexports.basetypes import (
    _MODELS,
    Constrained,
    Frozen,
    MinItems,
    _rebuild,
    adapter,
    construct,
    model,
    unroll_setstate,
    validate,
)
from policyexports.claims import Share, _ClaimBase
from policyexports.loading import load
from policyexports.models import Figure, Partner, Quantity, Source

ids = st.from_regex(r"\A[a-z0-9][a-z0-9-]{0,10}\Z")
codes = st.from_regex(r"\A[A-Z]{2}\Z")
partners = st.one_of(
    st.fixed_dictionaries({"city": ids}),
    st.fixed_dictionaries({"country": codes}),
    st.fixed_dictionaries({"city": ids, "country": codes}),
)
# why: Text must hold something besides spaces
texts = st.text(st.characters(codec="utf-8"), min_size=1, max_size=30).filter(str.strip)
sources = st.fixed_dictionaries(
    {
        "title": texts,
        "publisher": texts,
        "file": st.from_regex(r"\A[a-z]{1,10}\.txt\Z"),
        "sha256": st.from_regex(r"\A[0-9a-f]{64}\Z"),
    },
    optional={"data_as_of": texts},
)


def _fields(data: dict[str, Any], model: type[Any]) -> tuple[Any, ...]:
    defaults = validate(model, data)
    return tuple(getattr(defaults, name) for name in model.__field_names__)


@given(partners, partners)
def test_models_are_equal_and_hash_alike_exactly_when_their_fields_are(
    a: dict[str, str], b: dict[str, str]
) -> None:
    first, second = validate(Partner, a), validate(Partner, b)
    same = (a.get("city"), a.get("country")) == (b.get("city"), b.get("country"))
    assert (first == second) is same
    assert (first != second) is not same
    if same:
        assert hash(first) == hash(second)
    assert first != (first.city, first.country)  # never equal to another type


@given(sources)
def test_a_model_survives_pickling_and_copying_whole(data: dict[str, str]) -> None:
    source = validate(Source, data)
    for again in (pickle.loads(pickle.dumps(source)), copy.copy(source), copy.deepcopy(source)):
        assert again == source
        assert type(again) is Source
        assert repr(again) == repr(source)
        assert _fields(data, Source) == tuple(getattr(again, n) for n in Source.__field_names__)


def test_a_model_shows_its_fields_in_order() -> None:
    partner = validate(Partner, {"country": "CO"})
    assert repr(partner) == "Partner(city=None, country='CO')"
    assert Partner.__field_names__ == ("city", "country")
    assert not hasattr(partner, "__dict__")


def test_models_refuse_assignment_and_deletion() -> None:
    partner = validate(Partner, {"city": "bogota"})
    with pytest.raises(FrozenInstanceError, match="immutable"):
        partner.city = "athens"  # type: ignore[misc]
    with pytest.raises(FrozenInstanceError, match="immutable"):
        del partner.city
    with pytest.raises(FrozenInstanceError):
        partner.other = 1
    assert partner.city == "bogota"


def test_a_model_s_own_check_refuses_the_item() -> None:
    with pytest.raises(ValidationError, match="a partner needs a city or a country"):
        validate(Partner, {})
    with pytest.raises(ValidationError, match="Unexpected keyword argument"):
        validate(Partner, {"city": "bogota", "colour": "red"})


def test_construct_takes_defaults_and_needs_the_rest() -> None:
    assert construct(Partner, city="x") == validate(Partner, {"city": "x"})
    with pytest.raises(TypeError, match="needs a value for every field"):
        construct(Source, title="only a title")


def test_rebuild_builds_only_models_from_one_value_per_field() -> None:
    assert _rebuild(Partner, ("x", None)) == validate(Partner, {"city": "x"})
    with pytest.raises(TypeError):
        _rebuild(Partner, ("x",))
    with pytest.raises(TypeError):
        _rebuild(dict, ())  # type: ignore[type-var]


@pytest.mark.parametrize(
    "annotated",
    [Annotated[float, Constrained(ge=1)], Annotated[list[int], MinItems(1)]],
)
def test_a_marker_on_a_type_it_does_not_fit_is_refused(annotated: Any) -> None:
    with pytest.raises(TypeError, match="applies to"):
        adapter(annotated)


def test_markers_constrain_what_they_mark() -> None:
    strings = adapter(Annotated[str, Constrained(min_length=2, pattern=r"^[a-z]+$")])
    assert strings.validate_python("ab") == "ab"
    for bad in ("a", "AB", 12):
        with pytest.raises(ValidationError):
            strings.validate_python(bad)
    months = adapter(Annotated[int, Constrained(ge=1, le=12)])
    assert months.validate_python(12) == 12
    for wrong in (0, 13, "5", 5.0, True):
        with pytest.raises(ValidationError):
            months.validate_python(wrong)
    tuples = adapter(Annotated[tuple[int, ...], MinItems(2)])
    assert tuples.validate_python([1, 2]) == (1, 2)
    with pytest.raises(ValidationError):
        tuples.validate_python([1])


_FIGURE = {
    "id": "a",
    "kind": "revenue",
    "label": "a",
    "value": "KRW 5 billion",
    "earner": "seoul",
    "partners": [{"city": "bogota"}, {"country": "PE"}],
    "quote": "It earned KRW 5 billion.",
}


def test_a_model_used_twice_in_one_schema_is_checked_and_read_both_times() -> None:
    with pytest.raises(ValidationError) as raised:
        adapter(tuple[Partner, Partner]).validate_python([{}, {}])
    assert [error["loc"] for error in raised.value.errors()] == [(0,), (1,)]
    written = _FIGURE
    first, second = adapter(tuple[Figure, Figure]).validate_python([written, written])
    assert first == second
    assert second.value.won == 5_000_000_000  # _before read the written value the second time


def test_an_exact_number_is_never_a_binary_float() -> None:
    quantity = {"written": "2.8 km", "unit": "km", "value": "2.8", "step": "0.1"}
    assert validate(Quantity, quantity).value == Decimal("2.8")
    assert validate(Quantity, {**quantity, "value": Decimal("2.8")}).value == Decimal("2.8")
    with pytest.raises(ValidationError, match="not a binary float"):
        validate(Quantity, {**quantity, "value": 2.8})


def test_a_model_has_its_annotations_as_slotted_fields_after_its_base_s() -> None:
    assert Share.__field_names__[: len(_ClaimBase.__field_names__)] == _ClaimBase.__field_names__
    assert set(Share.__slots__) == set(Share.__field_names__) - set(_ClaimBase.__field_names__)
    source = validate(Source, {"title": "t", "publisher": "p", "file": "a.txt", "sha256": "0" * 64})
    assert not hasattr(source, "__dict__")
    assert Source.__field_defaults__ == {"data_as_of": None}


def test_class_variables_are_not_fields_and_fields_are_not_declared_twice() -> None:
    @model
    class Counted(Frozen):
        total: ClassVar[int] = 3
        name: str
        note: str | None = None

    assert Counted.__field_names__ == ("name", "note")
    assert Counted.total == 3
    with pytest.raises(TypeError, match="declares inherited fields again"):

        @model
        class Again(Counted):
            name: str


def _as_dataclass(kind: Any) -> list[tuple[Any, ...]]:
    return [
        (field.name, field.type, field.default, field.kw_only, field.init, field._field_type)  # type: ignore[attr-defined]
        for field in dataclass_fields(kind)
    ]


def test_a_model_has_the_dataclass_fields_dataclass_would_give_it() -> None:
    # why: the same classes written twice, made once by @model, once by dataclass()
    class Base(Frozen):
        note: ClassVar[str] = "not a field"
        name: str
        size: int = 0

    class Child(model(Base)):  # type: ignore[misc]
        sizes: tuple[int, ...] = ()
        label: str

    made = model(Child)

    @dataclass(init=False, repr=False, eq=False, kw_only=True, slots=True)
    class ExpectedBase:
        note: ClassVar[str] = "not a field"
        name: str
        size: int = 0

    @dataclass(init=False, repr=False, eq=False, kw_only=True, slots=True)
    class Expected(ExpectedBase):
        sizes: tuple[int, ...] = ()
        label: str

    assert _as_dataclass(made.__mro__[1]) == _as_dataclass(ExpectedBase)
    assert _as_dataclass(made) == _as_dataclass(Expected)
    assert made.__field_names__ == ("name", "size", "sizes", "label")
    assert made.__qualname__.endswith("<locals>.Child")
    assert is_dataclass(made)
    assert not is_dataclass(Frozen)


def test_library_users_may_treat_the_dataset_as_dataclasses() -> None:
    # why: in a process of its own, so no schema was built before to make the fields
    script = (
        "import dataclasses\n"
        "from policyexports.loading import load\n"
        "dataset = load(None).dataset\n"
        "print(dataclasses.asdict(dataset)['figures'][0]['id'])\n"
    )
    env = {**os.environ, "POLICYEXPORTS_DATA": "", "POLICYEXPORTS_CACHE": "off"}
    found = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False, env=env
    )
    assert found.returncode == 0, found.stderr
    assert found.stdout.strip() == load(None).dataset.figures[0].id


@pytest.fixture
def unrolled() -> Iterator[None]:
    """Models with their written-out ``__setstate__``, as a large cache entry gives them, for
    this test only: the others run with the loop that most runs use."""
    unroll_setstate()
    yield
    for made in _MODELS:
        if "__setstate__" in made.__dict__:
            type.__delattr__(made, "__setstate__")


@pytest.mark.usefixtures("unrolled")
def test_a_written_out_setstate_sets_the_same_fields_and_refuses_a_wrong_count() -> None:
    figure = validate(Figure, _FIGURE)
    before = pickle.dumps(figure)
    assert "__setstate__" in Figure.__dict__
    again = pickle.loads(before)
    assert again == figure
    assert [getattr(again, name) for name in Figure.__field_names__] == [
        getattr(figure, name) for name in Figure.__field_names__
    ]
    with pytest.raises(ValueError, match="not enough values"):
        object.__new__(Partner).__setstate__(("x",))
    with pytest.raises(ValueError, match="too many values"):
        object.__new__(Partner).__setstate__(("x", None, None))
