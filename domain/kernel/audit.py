"""Security event log: one JSON object per line, so CR/LF in inputs cannot forge entries; no secrets."""

from __future__ import annotations

import json
import logging

from domain.kernel import clock
from domain.kernel.actors import RequestMeta

logger = logging.getLogger("portal.audit")


def auth_event(event: str, outcome: str, actor: str, meta: RequestMeta, **extra: str | int) -> None:
    """Log an authentication event with UTC time, actor (masked or id), IP and outcome."""
    record = {
        "time": clock.now().isoformat(timespec="milliseconds"),
        "event": event,
        "outcome": outcome,
        "actor": actor,
        "ip": meta.ip,
        "user_agent": meta.user_agent[:200],
        **extra,
    }
    logger.info(json.dumps(record, ensure_ascii=False))
