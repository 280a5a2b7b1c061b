"""Real-name verification (实名认证): attempts and their state machine, the Alipay start, provider notices and
polling, on-site verification, and the identity providers (Alipay, the sandbox) under `providers/`."""

from db.models import VerificationMethod, VerificationStatus
from domain.verification.alipay_start import start_alipay
from domain.verification.attempts import (
    REQUIRED_MATERIALS,
    attempts_visible_to,
    certify_qr,
    certify_url_for,
    conclude,
    current_for_people,
    is_verified,
    qr_data_url,
    require_verified,
    transition,
)
from domain.verification.jurisdiction import onsite_provinces
from domain.verification.live import current_changes
from domain.verification.notices import confirm_with_provider, notice_codec, process_notice, receive_notice
from domain.verification.onsite import OnsiteCase, OnsiteDecision
from domain.verification.onsite import confirm as confirm_onsite
from domain.verification.onsite import open_case as open_onsite_case
from domain.verification.polling import poll_pending
from domain.verification.providers.base import ProviderRejected, ProviderUnavailable
from domain.verification.providers.registry import provider, sandbox_enabled
from domain.verification.providers.sandbox import decide as decide_in_sandbox
from domain.verification.providers.sandbox import find_certification as sandbox_certification
from domain.verification.providers.sandbox_delivery import NoticeNotAcknowledged as SandboxNoticeNotAcknowledged
from domain.verification.providers.sandbox_delivery import decide_and_notify as sandbox_decide_and_notify
from domain.verification.providers.sandbox_delivery import deliver as deliver_sandbox_notice
from domain.verification.providers.sandbox_delivery import queue_notice as queue_sandbox_notice
from domain.verification.providers.sandbox_delivery import retry_delays_s as sandbox_retry_delays_s

__all__ = [
    "REQUIRED_MATERIALS",
    "OnsiteCase",
    "OnsiteDecision",
    "ProviderRejected",
    "ProviderUnavailable",
    "SandboxNoticeNotAcknowledged",
    "VerificationMethod",
    "VerificationStatus",
    "attempts_visible_to",
    "certify_qr",
    "certify_url_for",
    "conclude",
    "confirm_onsite",
    "confirm_with_provider",
    "current_changes",
    "current_for_people",
    "decide_in_sandbox",
    "deliver_sandbox_notice",
    "is_verified",
    "notice_codec",
    "onsite_provinces",
    "open_onsite_case",
    "poll_pending",
    "process_notice",
    "provider",
    "qr_data_url",
    "queue_sandbox_notice",
    "receive_notice",
    "require_verified",
    "sandbox_certification",
    "sandbox_decide_and_notify",
    "sandbox_enabled",
    "sandbox_retry_delays_s",
    "start_alipay",
    "transition",
]
