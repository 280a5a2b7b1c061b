"""A local stand-in for Alipay (default in dev and test): issues certify ids, serves a certify page where the
person presses pass or fail, answers `query`, and signs its notices with its own key pair like Alipay does."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Mapping
from functools import lru_cache

from cryptography.hazmat.primitives.asymmetric import rsa

from db.models import SandboxCertification
from domain.accounts import mask_id_number
from domain.kernel import clock
from domain.kernel.settings import get_settings
from domain.verification.providers import rsa2
from domain.verification.providers.alipay import check_notice_with
from domain.verification.providers.base import CertifyResult, NoticeCheck, ProviderRejected

KEY_NAME = "alipay-sandbox"


@lru_cache(maxsize=1)
def sandbox_key() -> rsa.RSAPrivateKey:
    """The sandbox's own key pair, generated into var/keys at first use (never committed)."""
    return rsa2.load_or_create_pair(get_settings().var_dir / "keys", KEY_NAME)


def build_notice(
    certify_id: str, passed: bool, notify_id: str | None = None, app_id: str | None = None
) -> dict[str, str]:
    """A notice as Alipay would POST it: form fields signed with RSA2 (sign and sign_type excluded)."""
    params = {
        "notify_id": notify_id or uuid.uuid4().hex,
        "notify_type": "user_certify_open_notify",
        "notify_time": clock.now().strftime("%Y-%m-%d %H:%M:%S"),
        "app_id": app_id or get_settings().alipay_app_id,
        "certify_id": certify_id,
        "passed": "T" if passed else "F",
        "charset": "utf-8",
        "version": "1.0",
        "sign_type": "RSA2",
    }
    params["sign"] = rsa2.sign(sandbox_key(), rsa2.signing_string(params, rsa2.UNSIGNED_NOTICE_KEYS))
    return params


class SandboxProvider:
    """Behaves like Alipay's identity API; its state is a table of the portal's own database."""

    name = "sandbox"

    async def initialize(self, outer_order_no: str, cert_name: str, cert_no: str, return_url: str) -> str:
        """Record the certification and return a new certify id."""
        if not get_settings().is_dev:
            raise ProviderRejected("沙箱认证仅用于开发和测试：生产环境请配置 IDENTITY_PROVIDER=alipay")
        if not outer_order_no.isalnum() or len(outer_order_no) > 32:
            raise ProviderRejected("outer_order_no 须为不超过32位的字母数字")
        certify_id = "SBX" + secrets.token_hex(16)
        await SandboxCertification.create(
            certify_id=certify_id,
            outer_order_no=outer_order_no,
            cert_name=cert_name,
            cert_no_masked=mask_id_number(cert_no),
            return_url=return_url,
            created_at=clock.now(),
        )
        return certify_id

    def certify_url(self, certify_id: str) -> str:
        """The sandbox page where the person decides."""
        return f"{get_settings().public_base_url}/sandbox/alipay/certify/{certify_id}"

    async def query(self, certify_id: str) -> CertifyResult:
        """What the person pressed (None until they press)."""
        row = await SandboxCertification.get_or_none(certify_id=certify_id)
        if row is None:
            raise ProviderRejected("certify_id 不存在")
        return CertifyResult(passed=row.passed, fail_reason=row.fail_reason)

    def check_notice(self, params: Mapping[str, str], charset: str = "utf-8") -> NoticeCheck:
        """Verified with the sandbox public key and our app id, exactly like Alipay's notices."""
        return check_notice_with(sandbox_key().public_key(), get_settings().alipay_app_id, params, charset)


async def decide(certify_id: str, passed: bool) -> SandboxCertification | None:
    """The person pressed pass or fail on the sandbox page; the first press counts."""
    reason = None if passed else "人脸比对未通过（沙箱）"
    updated = await SandboxCertification.filter(certify_id=certify_id, passed__isnull=True).update(
        passed=passed, fail_reason=reason, decided_at=clock.now()
    )
    row = await SandboxCertification.get_or_none(certify_id=certify_id)
    return row if updated == 1 else None


async def find_certification(certify_id: str) -> SandboxCertification | None:
    """The sandbox's record of a certification, for its certify page."""
    return await SandboxCertification.get_or_none(certify_id=certify_id[:64])
