"""An SMS gateway for tests whose carrier is always down (selected with SMS_GATEWAY=module:Class)."""

from __future__ import annotations

from typing import ClassVar


class CarrierDownError(ConnectionError):
    """What a real gateway raises when the carrier's API does not answer."""


class CarrierDownGateway:
    """Every send fails as a transient fault would; the attempts are counted per number."""

    attempts: ClassVar[list[str]] = []
    idempotency_keys: ClassVar[list[str]] = []

    async def send(self, mobile: str, text: str, *, idempotency_key: str) -> None:
        """Record the attempt, then fail like an unreachable carrier."""
        self.attempts.append(mobile)
        self.idempotency_keys.append(idempotency_key)
        raise CarrierDownError("carrier gateway unreachable")
