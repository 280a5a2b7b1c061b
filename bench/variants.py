"""The schema's extensions switched at run time (bench only), to price the caches and the extension runner."""

from __future__ import annotations

from typing import Any

from strawberry.extensions import ParserCache, ValidationCache

ExtensionList = list[Any]
CACHES = (ParserCache, ValidationCache)


def _kind(item: Any) -> type[Any]:
    """The extension class an entry of Schema.extensions stands for (classes as is; factories are called)."""
    return item if isinstance(item, type) else type(item() if callable(item) else item)


def without(configured: ExtensionList, kinds: tuple[type[Any], ...]) -> ExtensionList:
    """The configured list minus the entries of the given extension classes, order kept."""
    return [item for item in configured if not issubclass(_kind(item), kinds)]


def only(configured: ExtensionList, kinds: tuple[type[Any], ...]) -> ExtensionList:
    """The configured entries of the given extension classes (the same factories, so the same shared caches)."""
    return [item for item in configured if issubclass(_kind(item), kinds)]


def variants(configured: ExtensionList) -> dict[str, ExtensionList]:
    """Extension lists to compare over HTTP: as configured, without the caches, none, only the caches."""
    return {
        f"as configured ({len(configured)} extensions, caches on)": list(configured),
        "as configured minus ParserCache + ValidationCache (parse, validate per request)": without(configured, CACHES),
        "no extensions (no limits, no caches)": [],
        "only ParserCache + ValidationCache (no limits)": only(configured, CACHES),
    }
