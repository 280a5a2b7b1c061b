"""Short-lived signed URLs for files a browser opens without a Bearer header (`<img src>`, a print dialog).

The signature is an HMAC-SHA256 over the numbers a link is bound to (the file's id, the viewer's session, …) and
its expiry, with a key of its own per purpose (derived from the master secret): change any number, the expiry or
the purpose and the link is refused. The route still checks who may see the file."""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Iterable, Mapping

from domain.kernel import clock, keys

_NUMBER = re.compile(r"[0-9]{1,12}")
_SIGNATURE = re.compile(r"[0-9a-f]{64}")


def _signature(purpose: str, bound: Mapping[str, int], expires: int) -> str:
    message = "|".join([*(f"{name}:{bound[name]}" for name in sorted(bound)), f"expires:{expires}"]).encode()
    return hmac.new(keys.subkey(purpose), message, hashlib.sha256).hexdigest()


def signed_query(purpose: str, bound: Mapping[str, int], in_query: Iterable[str], ttl_s: int) -> tuple[str, int]:
    """The query string (the `in_query` numbers, `expires`, `signature`) of a link valid `ttl_s` seconds, and its
    expiry as a Unix time; the other bound numbers are known to the route (the path, the row it names)."""
    expires = int(clock.now().timestamp()) + ttl_s
    shown = [f"{name}={bound[name]}" for name in in_query]
    return "&".join([*shown, f"expires={expires}", f"signature={_signature(purpose, bound, expires)}"]), expires


def query_numbers(params: Mapping[str, str], names: Iterable[str]) -> dict[str, int] | None:
    """The numbers a link carries in its query, or None when one is missing or malformed."""
    values = {name: params.get(name, "") for name in names}
    if not all(_NUMBER.fullmatch(value) for value in values.values()):
        return None
    return {name: int(value) for name, value in values.items()}


def link_valid(purpose: str, bound: Mapping[str, int], params: Mapping[str, str]) -> bool:
    """Whether the link's signature covers exactly these numbers and has not expired."""
    expires, signature = params.get("expires", ""), params.get("signature", "")
    if not (_NUMBER.fullmatch(expires) and _SIGNATURE.fullmatch(signature)):
        return False
    expected = _signature(purpose, bound, int(expires))
    return hmac.compare_digest(expected, signature) and int(expires) > clock.now().timestamp()
