"""Field types and the base of the dataset's models and its claims.

Every model is a slotted pydantic dataclass (``@model``) on the ``Frozen`` base. Slots, not
``BaseModel``: an instance is its fields and nothing else, where a ``BaseModel`` also carries a
``__dict__`` and the set of the fields it was given. At 100,000 figures that was two thirds of
the dataset's memory, and validation builds slotted dataclasses about twice as fast.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import MISSING, FrozenInstanceError, fields
from typing import Annotated, Any, ClassVar, TypeVar, cast, dataclass_transform

from pydantic import ConfigDict, Field, StringConstraints, TypeAdapter
from pydantic.dataclasses import dataclass

_Model = TypeVar("_Model", bound="Frozen")

# why: the schema is built when first needed, so a run served from the cache (cache.py)
# never builds it. Not strict: the loader hands over parsed JSON (lists, enum strings), which
# strict Python-mode validation would refuse; integers are StrictInt and strings never coerce.
_CONFIG = ConfigDict(extra="forbid", defer_build=True)


def _rebuild(kind: type[_Model], values: tuple[Any, ...]) -> _Model:
    """An instance of ``kind`` with these field values, as pickled by ``Frozen.__reduce__``."""
    if not issubclass(kind, Frozen) or len(values) != len(kind.__field_names__):
        raise TypeError(f"cannot rebuild {kind!r} from {len(values)} values")
    item = object.__new__(kind)
    for name, value in zip(kind.__field_names__, values, strict=True):
        object.__setattr__(item, name, value)  # why: past Frozen.__setattr__, once
    return item


class Frozen:
    """Base of every model: immutable, compared and hashed by its fields, pickled compactly.

    ``@model`` makes a subclass a pydantic dataclass. Equality, hashing and the repr are
    written once here rather than generated per class, which keeps start-up short.
    """

    __slots__ = ()
    __field_names__: ClassVar[tuple[str, ...]] = ()
    __values__: ClassVar[Callable[[Any], tuple[Any, ...]]]

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

    def __reduce__(self) -> tuple[Callable[..., Any], tuple[Any, ...]]:
        return _rebuild, (type(self), type(self).__values__(self))


@dataclass_transform(kw_only_default=True, frozen_default=True, field_specifiers=(Field,))
def model(cls: type[_Model]) -> type[_Model]:
    """Make ``cls`` (a subclass of ``Frozen``) a slotted, keyword-only pydantic dataclass."""
    made = dataclass(cls, slots=True, kw_only=True, eq=False, repr=False, config=_CONFIG)
    names = tuple(item.name for item in fields(made))
    get = operator.attrgetter(*names)
    values = get if len(names) > 1 else (lambda item: (get(item),))
    type.__setattr__(made, "__field_names__", names)
    type.__setattr__(made, "__values__", staticmethod(values))
    return cast(type[_Model], made)


def construct(kind: type[_Model], /, **values: Any) -> _Model:
    """An instance built without validation, other fields at their defaults (for the partial
    dataset of an invalid file, whose source may be missing)."""
    defaults = {item.name: item.default for item in fields(kind)}  # type: ignore[arg-type]
    chosen = tuple(values.get(name, defaults[name]) for name in kind.__field_names__)
    if MISSING in chosen:
        raise TypeError(f"{kind.__name__} needs a value for every field without a default")
    return _rebuild(kind, chosen)


_ADAPTERS: dict[Any, TypeAdapter[Any]] = {}


def adapter(kind: Any) -> TypeAdapter[Any]:
    """The validator and serialiser of a model (or type), built once when first needed."""
    found = _ADAPTERS.get(kind)
    if found is None:
        found = _ADAPTERS[kind] = TypeAdapter(kind)
    return found


def validate(kind: type[_Model], data: object) -> _Model:
    """``data`` (parsed JSON) as a ``kind``; raises pydantic's ``ValidationError``."""
    return cast(_Model, adapter(kind).validate_python(data))


Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=80)]
CountryCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]
Text = Annotated[str, StringConstraints(min_length=1, max_length=2000)]
Sha256 = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
