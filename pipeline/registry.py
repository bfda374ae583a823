"""Named, versioned pipeline components, and the default pipeline in one place.

A component is a callable ``component(analysis) -> None`` that finds things and adds
them to the analysis. Factories are registered under ``name/version``; a config names
the components in order with their settings. ``DEFAULT_PIPELINE`` is the single place
where the shipped pipeline and its defaults are written down.
"""
from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import Callable, Protocol

from pipeline.analysis import Analysis


class Component(Protocol):
    name: str

    def __call__(self, analysis: Analysis) -> None: ...


@dataclass(frozen=True)
class Factory:
    name: str
    version: int
    make: Callable[..., Component]
    defaults: MappingProxyType

    @property
    def key(self) -> str:
        return f"{self.name}/{self.version}"


_FACTORIES: dict[str, Factory] = {}


def register(name: str, version: int, **defaults):
    """Class/function decorator: register a component factory as ``name/version``."""
    def wrap(make):
        key = f"{name}/{version}"
        if key in _FACTORIES:
            raise ValueError(f"component {key} registered twice")
        _FACTORIES[key] = Factory(name, version, make, MappingProxyType(dict(defaults)))
        return make
    return wrap


def factory(key: str) -> Factory:
    _import_components()
    try:
        return _FACTORIES[key]
    except KeyError:
        raise KeyError(f"no component {key!r}; known: {sorted(_FACTORIES)}") from None


def known() -> list[str]:
    _import_components()
    return sorted(_FACTORIES)


def build(key: str, **settings) -> Component:
    f = factory(key)
    unknown = set(settings) - set(f.defaults)
    if unknown:
        raise ValueError(f"{key}: unknown settings {sorted(unknown)}")
    return f.make(**{**f.defaults, **settings})


def _import_components() -> None:
    # Registration happens at import; importing here keeps the registry complete
    # without a global import order to remember.
    import pipeline.claims  # noqa: F401
    import pipeline.extractors  # noqa: F401
    import pipeline.merge  # noqa: F401


# The shipped pipeline, in order: extractors, then merge, then claims.
DEFAULT_PIPELINE: tuple[tuple[str, dict], ...] = (
    ("dates/1", {}),
    ("numbers/1", {}),
    ("entities/4", {}),
    ("merge/1", {}),
    ("attributions/1", {}),
    ("claims/2", {}),
)
