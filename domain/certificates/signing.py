"""The Ed25519 key that signs certificate QR codes: CERTIFICATE_SIGNING_KEY (a PEM file's path or the PEM text), or
in dev and test a key generated once into var/ (as the master secret is); production refuses to start without one."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from domain.kernel.settings import get_settings, read_key_setting

DEV_KEY_FILE = "certificate-signing-key.pem"
SIGNATURE_BYTES = 64


class SigningKeyError(RuntimeError):
    """The configured signing key is missing (in production) or not an Ed25519 private key."""


def _generated_dev_key(var_dir: Path) -> bytes:
    """The dev/test key under var/, created (mode 600) on first use."""
    path = var_dir / DEV_KEY_FILE
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        pem = Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        path.write_bytes(pem)
        path.chmod(0o600)
    return path.read_bytes()


@lru_cache(maxsize=4)
def _private_key(setting: str, var_dir: Path, is_dev: bool) -> Ed25519PrivateKey:
    if not setting.strip():
        if not is_dev:
            raise SigningKeyError("CERTIFICATE_SIGNING_KEY must be set when APP_ENV=prod")
        pem = _generated_dev_key(var_dir)
    else:
        try:
            pem = read_key_setting(setting)
        except OSError as exc:
            raise SigningKeyError(f"CERTIFICATE_SIGNING_KEY cannot be read: {exc.strerror}") from exc
    key = serialization.load_pem_private_key(pem, password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise SigningKeyError("CERTIFICATE_SIGNING_KEY is not an Ed25519 private key")
    return key


def private_key() -> Ed25519PrivateKey:
    """The signing key of this process's settings."""
    settings = get_settings()
    return _private_key(settings.certificate_signing_key, settings.var_dir, settings.is_dev)


def public_key() -> Ed25519PublicKey:
    """The public half, which verifies QR payloads offline."""
    return private_key().public_key()


def public_key_pem(key: Ed25519PublicKey | None = None) -> str:
    """A public key as PEM (SubjectPublicKeyInfo) text."""
    chosen = key or public_key()
    return chosen.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()


def load_public_key(pem: bytes) -> Ed25519PublicKey:
    """A PEM public key (or the PEM of the private key, whose public half is taken); ValueError if not Ed25519."""
    if b"PRIVATE KEY" in pem:
        private = serialization.load_pem_private_key(pem, password=None)
        if not isinstance(private, Ed25519PrivateKey):
            raise ValueError("not an Ed25519 key")
        return private.public_key()
    key = serialization.load_pem_public_key(pem)
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("not an Ed25519 key")
    return key


def sign(message: bytes) -> bytes:
    """The 64-byte Ed25519 signature of a message (deterministic)."""
    return private_key().sign(message)


def signature_valid(message: bytes, signature: bytes, key: Ed25519PublicKey | None = None) -> bool:
    """Whether the signature verifies with the key (the configured one by default)."""
    try:
        (key or public_key()).verify(signature, message)
    except InvalidSignature:
        return False
    return True
