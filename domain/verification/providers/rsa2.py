"""Alipay's RSA2 signatures: SHA256withRSA over the sorted `k=v&…` string, base64 in the `sign` field."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

UNSIGNED_NOTICE_KEYS = frozenset({"sign", "sign_type"})
UNSIGNED_REQUEST_KEYS = frozenset({"sign"})
KEY_BITS = 2048


def signing_string(params: Mapping[str, str], excluded: frozenset[str]) -> str:
    """Drop excluded keys and empty values, sort by key, join `k=v` with `&` (Alipay's canonical form)."""
    items = sorted((k, v) for k, v in params.items() if k not in excluded and v not in ("", None))
    return "&".join(f"{k}={v}" for k, v in items)


def sign(private_key: rsa.RSAPrivateKey, content: str, charset: str = "utf-8") -> str:
    """Base64 SHA256withRSA (PKCS#1 v1.5) signature of a string in the request's charset (as the SDK signs)."""
    signature = private_key.sign(content.encode(charset), padding.PKCS1v15(), hashes.SHA256())
    return base64.b64encode(signature).decode()


def verify(public_key: rsa.RSAPublicKey, content: str | bytes, signature_b64: str) -> bool:
    """True only for a well-formed signature of exactly this content (a str is taken as UTF-8) by this key."""
    try:
        signature = base64.b64decode(signature_b64, validate=True)
        data = content.encode("utf-8") if isinstance(content, str) else content
        public_key.verify(signature, data, padding.PKCS1v15(), hashes.SHA256())
    except (InvalidSignature, ValueError, binascii.Error):
        return False
    return True


def verify_notice(public_key: rsa.RSAPublicKey, params: Mapping[str, str], charset: str = "utf-8") -> bool:
    """Verify an asynchronous notice (form fields, decoded from the charset it was posted in): sign and sign_type
    are not part of the signed string, which Alipay signed as bytes in that charset (as the SDK verifies it)."""
    signature = params.get("sign", "")
    if not signature or params.get("sign_type", "RSA2") != "RSA2":
        return False
    try:
        content = signing_string(params, UNSIGNED_NOTICE_KEYS).encode(charset)
    except (UnicodeEncodeError, LookupError):  # text the declared charset cannot hold: not what was signed
        return False
    return verify(public_key, content, signature)


def generate_private_key() -> rsa.RSAPrivateKey:
    """A new 2048-bit key (the sandbox's own pair, test vectors)."""
    return rsa.generate_private_key(public_exponent=65537, key_size=KEY_BITS)


def load_private_key(pem: bytes) -> rsa.RSAPrivateKey:
    """A PKCS#8 or PKCS#1 PEM private key, or Alipay's bare base64 form of either (its key tool offers both)."""
    text = pem.strip()
    if text.startswith(b"-----BEGIN"):
        key = serialization.load_pem_private_key(text, password=None)
    else:
        key = serialization.load_der_private_key(_bare_base64(text), password=None)
    if not isinstance(key, rsa.RSAPrivateKey):
        raise ValueError("Alipay keys are RSA")
    return key


def load_public_key(pem: bytes) -> rsa.RSAPublicKey:
    """A PEM public key, or Alipay's bare base64 form as its console shows it: one line or wrapped over several
    (any line length, CRLF, indentation), read as the SDK reads it (the base64 of a SubjectPublicKeyInfo)."""
    text = pem.strip()
    if text.startswith(b"-----BEGIN"):
        key = serialization.load_pem_public_key(text)
    else:
        key = serialization.load_der_public_key(_bare_base64(text))
    if not isinstance(key, rsa.RSAPublicKey):
        raise ValueError("Alipay keys are RSA")
    return key


def _bare_base64(text: bytes) -> bytes:
    """The DER inside Alipay's bare base64 key text, whatever its line breaks and spacing."""
    return base64.b64decode(b"".join(text.split()), validate=True)


def private_pem(key: rsa.RSAPrivateKey) -> bytes:
    """PKCS#8 PEM of a private key."""
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def public_pem(key: rsa.RSAPublicKey) -> bytes:
    """SubjectPublicKeyInfo PEM of a public key."""
    return key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


def load_or_create_pair(directory: Path, name: str) -> rsa.RSAPrivateKey:
    """A key pair kept in `directory` (dev sandbox keys under var/, generated at first run, never committed)."""
    path = directory / f"{name}.pem"
    if not path.exists():
        directory.mkdir(parents=True, exist_ok=True)
        path.write_bytes(private_pem(generate_private_key()))
        path.chmod(0o600)
    return load_private_key(path.read_bytes())
