"""Key material: one master secret from settings (or generated into var/ in dev), subkeys derived per use."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from domain.kernel.settings import get_settings


class MissingSecretError(RuntimeError):
    """Production refuses to start without SECRET_KEY."""


@lru_cache(maxsize=1)
def master_secret() -> bytes:
    """SECRET_KEY from the environment; in dev/test a random one kept in var/secret.key."""
    settings = get_settings()
    if settings.secret_key:
        return settings.secret_key.encode()
    if not settings.is_dev:
        raise MissingSecretError("SECRET_KEY must be set when APP_ENV=prod")
    path = settings.var_dir / "secret.key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip().encode()


@lru_cache(maxsize=16)
def subkey(purpose: str) -> bytes:
    """A 32-byte key for one purpose, derived with HKDF so purposes never share a key."""
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"constructor-portal", info=purpose.encode())
    return hkdf.derive(master_secret())


def keyed_digest(purpose: str, value: str) -> str:
    """HMAC-SHA256 hex of a value: lookups and stored secrets without keeping the value."""
    return hmac.new(subkey(purpose), value.encode(), hashlib.sha256).hexdigest()


def _fernet() -> Fernet:
    return Fernet(base64.urlsafe_b64encode(subkey("fernet-data")))


def encrypt(value: str) -> str:
    """Authenticated encryption of a sensitive value at rest."""
    return _fernet().encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    """Inverse of `encrypt`; raises ValueError on a tampered token."""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise ValueError("ciphertext does not verify") from exc
