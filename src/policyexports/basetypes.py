"""Field types and the base of the dataset's models and its claims.

Every model is a slotted class (``@model``) on the ``Frozen`` base, a dataclass as far as
pydantic can see, which pydantic validates (``validate``, ``adapter``) and describes as JSON
Schema. Defining them imports nothing of pydantic but ``pydantic_core``: the constraints on
a field are small markers here (``Constrained``, ``Doc``, ``MinItems``, ``Tagged``), and a
model's own checks are its ``_check`` method and ``_before`` function. They become
pydantic's schema only when it is built (the loader validates from a prebuilt one,
``prebuilt.py``), so a run never loads pydantic's model machinery unless it must, which
costs more to import than Typer.

Slots, not ``BaseModel``: an instance is its fields and nothing else, where a ``BaseModel``
also carries a ``__dict__`` and the set of the fields it was given. At 100,000 figures that
was two thirds of the dataset's memory, and slotted dataclasses validate about twice as fast.
"""

from __future__ import annotations

import copyreg
import operator
import threading
from collections.abc import Callable
from dataclasses import MISSING, FrozenInstanceError, dataclass
from typing import (
    TYPE_CHECKING,
    Annotated,
    Any,
    ClassVar,
    TypeVar,
    cast,
    dataclass_transform,
    get_origin,
)

from pydantic_core import core_schema

from policyexports.invisible import DRAWN_AS_NOTHING

if TYPE_CHECKING:
    from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler, TypeAdapter
    from pydantic.json_schema import JsonSchemaValue

_Model = TypeVar("_Model", bound="Frozen")
_NEWOBJ: Callable[..., Any] = copyreg.__newobj__  # type: ignore[attr-defined]  # no stub


def _rebuild(kind: type[_Model], values: tuple[Any, ...]) -> _Model:
    """An instance of ``kind`` with these field values, one per field, not validated."""
    if not isinstance(kind, type) or not issubclass(kind, Frozen) or kind is Frozen:
        raise TypeError(f"cannot rebuild {kind!r}: not a model")
    if len(values) != len(kind.__field_names__):
        raise TypeError(f"cannot rebuild {kind.__name__} from {len(values)} values")
    item = object.__new__(kind)
    item.__setstate__(values)
    return item


def unroll_setstate() -> None:
    """Give every model a ``__setstate__`` written out for its own fields, without a loop.

    why: unpickling a large cached dataset calls ``__setstate__`` for every item; written out,
    it takes two thirds of the time (0.56 s against 0.85 s for 385,000 items at 100,000
    figures). Writing the code costs about 1 ms, so only large entries ask for it.
    """
    for made in _MODELS:
        if "__setstate__" in made.__dict__:
            continue
        count = len(made.__field_names__)
        values = "".join(f"v{index}, " for index in range(count))
        lines = [f"def __setstate__(self, state):\n    ({values}) = state\n"]
        lines += [f"    s{index}(self, v{index})\n" for index in range(count)]
        namespace = {f"s{index}": setter for index, setter in enumerate(made.__setters__)}
        exec("".join(lines), namespace)  # why: safe, the code is made of indices only
        type.__setattr__(made, "__setstate__", namespace["__setstate__"])


class _DataclassAttribute:
    """A model's ``__dataclass_fields__`` or ``__dataclass_params__``, made when first read
    (``dataclasses.fields``, ``is_dataclass``, pydantic building a schema)."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __get__(self, item: object, owner: type) -> Any:
        _as_dataclasses()
        found = owner.__dict__.get(self.name)  # why: made there, in place of this descriptor
        if found is None or found is self:
            raise AttributeError(f"{owner.__name__} is not a model")
        return found


class Frozen:
    """Base of every model: immutable, compared and hashed by its fields, pickled compactly.

    A subclass may define ``_check(self)``, run after its fields validate (raise
    ``ValueError`` to refuse the item), and ``_before(data)``, run on the input first.
    """

    __slots__ = ()
    __field_names__: ClassVar[tuple[str, ...]] = ()
    __field_defaults__: ClassVar[dict[str, Any]] = {}
    __setters__: ClassVar[tuple[Callable[[Any, Any], None], ...]]
    __values__: ClassVar[Callable[[Any], tuple[Any, ...]]]
    # why: read by pydantic; unknown keys are refused. Not strict: the loader hands over parsed
    # JSON (lists, enum strings); integers are strict and strings never coerce (Constrained).
    __pydantic_config__: ClassVar[dict[str, Any]] = {"extra": "forbid"}
    __dataclass_fields__: ClassVar[Any] = _DataclassAttribute("__dataclass_fields__")
    __dataclass_params__: ClassVar[Any] = _DataclassAttribute("__dataclass_params__")

    @staticmethod
    def _before(data: Any) -> Any:
        """The input as the fields are to read it (the input is a dict when it is valid)."""
        return data

    def _check(self) -> None:
        """Raise ``ValueError`` if the fields, each valid, do not agree with one another."""

    def __setattr__(self, name: str, value: object) -> None:
        raise FrozenInstanceError(f"cannot assign to field {name!r}: models are immutable")

    def __delattr__(self, name: str) -> None:
        raise FrozenInstanceError(f"cannot delete field {name!r}: models are immutable")

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return bool(type(self).__values__(self) == type(other).__values__(other))

    def __hash__(self) -> int:
        return hash((type(self), type(self).__values__(self)))

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__field_names__)
        return f"{type(self).__name__}({shown})"

    def __reduce__(self) -> tuple[Callable[..., Any], tuple[type[Frozen]], tuple[Any, ...]]:
        # why: __newobj__ is pickled as NEWOBJ: the unpickler makes the empty instance itself,
        # then hands the field values to __setstate__
        return _NEWOBJ, (type(self),), type(self).__values__(self)

    def __setstate__(self, state: tuple[Any, ...]) -> None:
        # why: a slot's own setter, past Frozen.__setattr__; twice as fast as
        # object.__setattr__, and this runs for every item a cached dataset holds
        for setter, value in zip(self.__setters__, state, strict=True):
            setter(self, value)

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        schema = handler(source)  # the dataclass's own schema
        before, check = cls._before is not Frozen._before, cls._check is not Frozen._check
        if not before and not check:
            return schema
        # why: a second use of the model refers to its schema by this name; the name must be
        # the checked schema's, or that use would take the dataclass unchecked
        inner = cast(dict[str, Any], handler.resolve_ref_schema(schema))
        ref = inner.pop("ref", None)
        checked: core_schema.CoreSchema = cast(core_schema.CoreSchema, inner)
        if before:
            checked = core_schema.no_info_before_validator_function(cls._before, checked)
        if check:
            checked = core_schema.no_info_after_validator_function(_checked, checked)
        if ref is not None:
            cast(dict[str, Any], checked)["ref"] = ref
        return checked


def _checked(item: _Model) -> _Model:
    item._check()
    return item


@dataclass_transform(kw_only_default=True, frozen_default=True)
def model(cls: type[_Model]) -> type[_Model]:
    """Make ``cls`` (a subclass of ``Frozen``) a model: slotted, keyword-only fields, defaults.

    Its fields are its annotations after its base's. No ``__init__``, ``__eq__`` or
    ``__repr__`` is made (``Frozen`` has them, once): instances of the dataset's models come
    from validation, the cache, or ``construct`` (a model may write its own ``__init__``, as
    ``ranges.Bounds`` does). The class is a dataclass to ``dataclasses`` and to pydantic, but
    the dataclass fields they read are made only when first read (``_as_dataclasses``).

    why: ``dataclasses.dataclass`` took 0.14 ms a model, the largest part of defining the
    models on every run, mostly making code for methods that models do not have.
    """
    namespace = dict(cls.__dict__)
    own = tuple(
        name
        for name, annotation in namespace.get("__annotations__", {}).items()
        if not _is_class_variable(annotation)
    )
    inherited = cls.__field_names__
    if clash := set(own) & set(inherited):
        raise TypeError(f"{cls.__name__} declares inherited fields again: {sorted(clash)}")
    defaults = {**cls.__field_defaults__}
    defaults.update((name, namespace.pop(name)) for name in own if name in namespace)
    for name in ("__dict__", "__weakref__"):
        namespace.pop(name, None)
    namespace["__slots__"] = own
    namespace["__qualname__"] = cls.__qualname__
    made = cast(type[_Model], type(cls.__name__, cls.__bases__, namespace))
    names = inherited + own
    get = operator.attrgetter(*names)
    values = get if len(names) > 1 else (lambda item: (get(item),))
    type.__setattr__(made, "__field_names__", names)
    type.__setattr__(made, "__field_defaults__", defaults)
    type.__setattr__(made, "__setters__", tuple(getattr(made, name).__set__ for name in names))
    type.__setattr__(made, "__values__", staticmethod(values))
    _MODELS.append(made)
    return made


def _is_class_variable(annotation: object) -> bool:
    if isinstance(annotation, str):  # why: annotations are text under postponed evaluation
        return annotation.partition("[")[0].rpartition(".")[2] == "ClassVar"
    return annotation is ClassVar or get_origin(annotation) is ClassVar


_MODELS: list[type[Frozen]] = []
_STAND_INS: dict[type[Frozen], type] = {}
_MAKING = threading.Lock()


def _as_dataclasses() -> None:
    """Give every model the dataclass fields and parameters that
    ``dataclass(init=False, repr=False, eq=False, kw_only=True)`` would give it.

    They are made on a stand-in class of the same name, module, annotations and defaults
    (and the stand-in of its base), so the model itself is not made again.
    """
    if len(_STAND_INS) == len(_MODELS):
        return
    import inspect  # why: only building a schema needs it

    with _MAKING:  # why: two threads would otherwise make them at once
        for made in _MODELS:
            if made not in _STAND_INS:
                _stand_in(made, inspect.get_annotations(made))


def _stand_in(made: type[Frozen], annotations: dict[str, Any]) -> None:
    base: type[Frozen] = made.__mro__[1]
    namespace: dict[str, Any] = {
        "__annotations__": annotations,
        "__module__": made.__module__,
        "__qualname__": made.__qualname__,
    }
    namespace.update(
        (name, made.__field_defaults__[name])
        for name in annotations
        if name in made.__field_defaults__ and name not in base.__field_names__
    )
    bases = (_STAND_INS[base],) if base in _STAND_INS else ()
    stand_in: type = dataclass(
        type(made.__name__, bases, namespace), init=False, repr=False, eq=False, kw_only=True
    )
    for name in ("__dataclass_fields__", "__dataclass_params__"):
        type.__setattr__(made, name, stand_in.__dict__[name])
    _STAND_INS[made] = stand_in  # why: last, once the model has what it is to have


def construct(kind: type[_Model], /, **values: Any) -> _Model:
    """An instance built without validation, other fields at their defaults (for the partial
    dataset of an invalid file, whose source may be missing)."""
    defaults = kind.__field_defaults__
    chosen = tuple(values.get(name, defaults.get(name, MISSING)) for name in kind.__field_names__)
    if MISSING in chosen:
        raise TypeError(f"{kind.__name__} needs a value for every field without a default")
    return _rebuild(kind, chosen)


def replaced(item: _Model, **changes: Any) -> _Model:
    """A copy of ``item`` with ``changes``, not validated (like ``construct``)."""
    return _rebuild(
        type(item), tuple(changes.get(name, getattr(item, name)) for name in item.__field_names__)
    )


_ADAPTERS: dict[Any, TypeAdapter[Any]] = {}


def adapter(kind: Any) -> TypeAdapter[Any]:
    """The validator and serialiser of a model (or type), built once when first needed."""
    found = _ADAPTERS.get(kind)
    if found is None:
        from pydantic import TypeAdapter

        # why: pydantic looks for a dataclass's fields in the class's own __dict__, where the
        # descriptor on Frozen has not yet put them
        _as_dataclasses()
        found = _ADAPTERS[kind] = TypeAdapter(kind)
    return found


def validate(kind: type[_Model], data: object) -> _Model:
    """``data`` (parsed JSON) as a ``kind``; raises pydantic's ``ValidationError``."""
    return cast(_Model, adapter(kind).validate_python(data))


class Constrained:
    """A string or integer within limits, or a boolean, as pydantic-core checks it (first in
    ``Annotated``). Integers and booleans are strict: ``true`` is no ``1``, and neither
    ``1`` nor ``"yes"`` is ``true``."""

    __slots__ = ("limits",)

    def __init__(self, **limits: Any) -> None:
        self.limits = limits

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        if source is str:
            return core_schema.str_schema(**self.limits)
        if source is int:
            return core_schema.int_schema(strict=True, **self.limits)
        if source is bool and not self.limits:
            return core_schema.bool_schema(strict=True)
        raise TypeError(f"Constrained applies to str, int and bool, not {source!r}")


class WholeNumber:
    """Before a ``Literal`` of integers, which would take ``true`` and ``1.0`` for ``1``: only
    a number written as a whole number. (JSON Schema cannot tell ``1.0`` from ``1``; the
    integers of a dataset are written without a point, as its other integers must be.)"""

    __slots__ = ()

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_before_validator_function(_whole_number, handler(source))


def _whole_number(value: object) -> object:
    if type(value) is not int:
        raise ValueError("must be written as a whole number, such as 1")
    return value


class MinItems:
    """A tuple of at least this many items."""

    __slots__ = ("count",)

    def __init__(self, count: int) -> None:
        self.count = count

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        schema = handler(source)
        if schema["type"] != "tuple":
            raise TypeError(f"MinItems applies to tuples, not {source!r}")
        cast(dict[str, Any], schema)["min_length"] = self.count
        return schema


class Doc:
    """A field's description, for the JSON Schema."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return {**handler(schema), "description": self.text}


class Tagged:
    """A union told apart by the value of one key (pydantic's discriminated union)."""

    __slots__ = ("key",)

    def __init__(self, key: str) -> None:
        self.key = key

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        from pydantic import Field

        return handler.generate_schema(Annotated[source, Field(discriminator=self.key)])


Id = Annotated[str, Constrained(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=80)]
CountryCode = Annotated[str, Constrained(pattern=r"^[A-Z]{2}$")]
# why: a pattern is searched for, so this is text with something in it besides spaces. The
# spaces are named, not `\S`: pydantic-core, Python's re and JavaScript (the JSON Schema's
# regular expressions) each count other characters as space (U+0085, U+FEFF, U+001C)
SPACES = r"\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
# why: text of these only is blank too: the zero-width spaces and joiners, the word joiner,
# and the characters drawn as nothing that output escapes (named as escapes, as SPACES are)
INVISIBLE = r"\u200b-\u200d\u2060" + "".join(f"\\u{ord(char):04x}" for char in DRAWN_AS_NOTHING)
NOT_BLANK = f"[^{SPACES}{INVISIBLE}]"
Text = Annotated[str, Constrained(min_length=1, max_length=2000, pattern=NOT_BLANK)]
Flag = Annotated[bool, Constrained()]
Sha256 = Annotated[str, Constrained(pattern=r"^[0-9a-f]{64}$")]
