"""SECURITY check 23, the payload: Ed25519-signed, compact, no full ID number; every flipped byte, truncation,
garbage or another key's signature is FORGED (an exception of one kind, never another error); the CLI verifies
offline with the public key alone; dev and test generate a key into var/ once, production has none generated."""

from __future__ import annotations

import base64
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from domain.certificates import qr, signing
from domain.kernel.settings import PROJECT_ROOT, get_settings
from tests.domain.certificates.samples import facts

FULL_ID = "360426199101010071"


def raw(code: str) -> bytes:
    return base64.urlsafe_b64decode(code + "=" * (-len(code) % 4))


def encoded(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def test_a_payload_round_trips_and_holds_no_full_id_number() -> None:
    code = qr.encode(facts())
    decoded = qr.decode(code)
    assert decoded == facts()
    assert (decoded.id_number_masked, decoded.name_masked) == ("3604**********0071", "欧*")
    assert decoded.number_with_check == "京111050700001(02)"
    assert len(code) < 160  # fits a QR code a phone reads from paper
    assert FULL_ID not in raw(code).decode("latin-1") and "19910101" not in raw(code).decode("latin-1")
    assert qr.decode(qr.page_url(code)) == facts()  # the scanned URL works as well
    assert qr.decode(f" {qr.page_url(code)}?from=scan ") == facts()


def test_every_flipped_byte_is_forged() -> None:
    data = raw(qr.encode(facts()))
    for index in range(len(data)):
        tampered = bytearray(data)
        tampered[index] ^= 0x01
        with pytest.raises(qr.ForgedPayload):
            qr.decode(encoded(bytes(tampered)))


def test_a_changed_field_re_encoded_without_the_key_is_forged() -> None:
    data = raw(qr.encode(facts()))
    later = bytearray(data)
    later[10:12] = (int.from_bytes(data[10:12], "big") + 365).to_bytes(2, "big")  # usable a year longer
    with pytest.raises(qr.ForgedPayload):
        qr.decode(encoded(bytes(later)))


@pytest.mark.parametrize(
    "code",
    ["", "AAAA", "not base64!", "A" * 5000, "🙂", "AQ", "/c/", "http://x/c/" + "_" * 90, "=" * 10, "\x00" * 20],
)
def test_malformed_input_is_forged(code: str) -> None:
    with pytest.raises(qr.ForgedPayload):
        qr.decode(code)


def test_truncated_or_extended_payloads_are_forged() -> None:
    data = raw(qr.encode(facts()))
    for cut in (1, 10, 64, len(data) - 1):
        with pytest.raises(qr.ForgedPayload):
            qr.decode(encoded(data[:cut]))
    with pytest.raises(qr.ForgedPayload):
        qr.decode(encoded(data + b"\x00"))


def test_another_key_s_signature_is_forged_and_its_own_public_key_accepts_it() -> None:
    other = Ed25519PrivateKey.generate()
    body = qr._body(facts())
    code = encoded(body + other.sign(qr.CONTEXT + body))
    with pytest.raises(qr.ForgedPayload):
        qr.decode(code)
    assert qr.decode(code, other.public_key()) == facts()
    with pytest.raises(qr.ForgedPayload):  # the context is part of what is signed
        qr.decode(encoded(body + signing.sign(body)))


def manage(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=60, check=False
    )


def test_the_cli_prints_the_public_key_and_verifies_offline_with_it(tmp_path: Path) -> None:
    printed = manage("certificate-public-key")
    assert printed.returncode == 0 and printed.stdout.startswith("-----BEGIN PUBLIC KEY-----")
    assert printed.stdout == signing.public_key_pem()
    key_file = tmp_path / "public.pem"
    key_file.write_text(printed.stdout)
    code = qr.encode(facts())

    valid = manage("verify-certificate", qr.page_url(code), "--public-key", str(key_file))
    assert valid.returncode == 0, valid.stderr
    assert "VALID SIGNATURE" in valid.stdout
    for shown in ("京111050700001(02)", "欧*", "3604**********0071", "2027-05-29", "345"):
        assert shown in valid.stdout
    assert FULL_ID not in valid.stdout

    flipped = code[:20] + ("A" if code[20] != "A" else "B") + code[21:]
    forged = manage("verify-certificate", flipped, "--public-key", str(key_file))
    assert forged.returncode == 1 and "FORGED" in forged.stdout and "VALID SIGNATURE" not in forged.stdout
    other = tmp_path / "other.pem"
    other.write_text(signing.public_key_pem(Ed25519PrivateKey.generate().public_key()))
    assert manage("verify-certificate", code, "--public-key", str(other)).returncode == 1
    assert manage("verify-certificate", code, "--public-key", str(tmp_path / "none.pem")).returncode == 2


def test_dev_generates_a_key_into_var_once_and_production_never(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("CERTIFICATE_SIGNING_KEY", "")
    monkeypatch.setenv("VAR_DIR", str(tmp_path))
    get_settings.cache_clear()
    try:
        first = signing.public_key_pem()
        assert (tmp_path / signing.DEV_KEY_FILE).stat().st_mode & 0o777 == 0o600
        assert signing.public_key_pem() == first
        monkeypatch.setenv("APP_ENV", "prod")
        get_settings.cache_clear()
        with pytest.raises(signing.SigningKeyError):
            signing.private_key()
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()
