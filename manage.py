"""Project commands: python manage.py run | serve | worker | migrate | seed | verify-trail | export-schema |
review-diagram | sandbox-notify CERTIFY_ID pass|fail | create-staff --username U --role R [--province P]
[--enterprise CODE] [--specialties 02,03] [--mobile M] [--display-name N] [--password-stdin] |
import-qualifications FILE | import-enterprises FILE | certificate-public-key |
verify-certificate PAYLOAD-OR-URL [--public-key PATH]."""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
from collections.abc import Callable
from typing import Any

from db.config import tortoise_config
from domain.kernel.log_setup import configure_logging
from domain.kernel.settings import get_settings

EXIT_UNSAFE_CONFIGURATION = 78  # sysexits EX_CONFIG: a supervisor (systemd, make run) should not just retry

# For the `tortoise` CLI (`make migrations`: `tortoise -c manage.TORTOISE_ORM makemigrations`).
TORTOISE_ORM = tortoise_config(get_settings().database_target)


def refuse_unsafe_configuration() -> None:
    """Exit non-zero naming every unsafe setting (one bilingual line each) before starting: in production, and
    CORS in every environment."""
    settings = get_settings()
    problems = settings.production_problems()
    if not problems:
        return
    where = ("", "") if settings.is_dev else ("生产环境", "production ")
    print(f"拒绝启动：{where[0]}配置不安全 / refusing to start: unsafe {where[1]}configuration", file=sys.stderr)
    for problem in problems:
        print(f"  - {problem}", file=sys.stderr)
    sys.exit(EXIT_UNSAFE_CONFIGURATION)


async def _with_db(work: Callable[[], Any]) -> Any:
    from tortoise import Tortoise, connections

    await Tortoise.init(config=tortoise_config(get_settings().database_target))
    try:
        return await work()
    finally:
        await connections.close_all()


def migrate() -> None:
    """Apply every pending migration."""
    from tortoise.migrations.api.migrate import migrate as run_migrations

    get_settings().var_dir.mkdir(parents=True, exist_ok=True)

    async def main() -> None:
        from tortoise import connections

        try:
            await run_migrations(config=tortoise_config(get_settings().database_target))
        finally:
            await connections.close_all()

    asyncio.run(main())
    print("数据库迁移完成 / migrations applied")


def seed() -> dict[str, Any]:
    """Dev seed data; prints the staff accounts. Never in production (create-staff makes real accounts)."""
    from domain.accounts import seed_dev

    if not get_settings().is_dev:
        print("生产环境不生成开发数据 / no dev seed data in production: use create-staff", file=sys.stderr)
        sys.exit(2)
    from domain.filings import seed_reference, seed_registered_applicant

    async def both() -> dict[str, Any]:
        accounts = await seed_dev()
        reference = await seed_reference()
        for id_number, password in accounts["applicants"].items():
            await seed_registered_applicant(id_number, password)
        return {**accounts, "reference": reference}

    result: dict[str, Any] = asyncio.run(_with_db(both))
    print("开发用工作人员账号 / dev staff accounts (username: password):")
    for username, password in result["staff"].items():
        print(f"  {username}: {password}")
    reference = result["reference"]
    print(
        f"开发用参考数据 / dev reference data: {reference['enterprises']} 家企业 enterprises; 资格 qualifications of "
        "360426199101010071 (01, 07), 120103198806018241 (temporary 02, 10) and 110105198503121234 (01)"
    )
    print(
        "开发用已注册申请人（已实名认证）/ dev registered applicants: "
        "李四 (临时注册 02，60 天后到期), 王五 (注册已注销):"
    )
    for id_number, password in result["applicants"].items():
        print(f"  {id_number}: {password}")
    return result


def verify_trail() -> int:
    """Check every person's trail hash chain; exit 1 naming the first broken entry of each broken chain."""
    from domain.trail import verify_all

    breaks = asyncio.run(_with_db(verify_all))
    if not breaks:
        print("操作轨迹哈希链完整 / every trail chain verifies")
        return 0
    for found in breaks:
        print(f"person {found.person_id}: first broken entry id={found.entry_id} seq={found.seq}: {found.reason}")
    return 1


def export_schema() -> None:
    """Print the SDL of the code's schema (make schema writes it to schema.graphql)."""
    from graph.schema.schema import schema

    sys.stdout.write(schema.as_str() + "\n")


def worker() -> None:
    """One arq worker (REDIS_URL, or the embedded server)."""
    from arq import run_worker

    from workers.settings import WorkerSettings, redis_settings

    refuse_unsafe_configuration()
    run_worker(WorkerSettings, redis_settings=redis_settings())  # type: ignore[arg-type]


def serve() -> None:
    """The API alone (uvicorn)."""
    import uvicorn

    refuse_unsafe_configuration()
    settings = get_settings()
    uvicorn.run(
        "graph.app:create_app",
        factory=True,
        host=settings.host,
        port=settings.port,
        proxy_headers=False,
        ws_max_size=settings.ws_max_message_bytes,  # a subscribe message is small: bigger frames close with 1009
        log_config=None,  # configure_logging's JSON lines, uvicorn's loggers included
        log_level=settings.log_level.lower(),
    )


def run() -> int:
    """make run: migrate, seed (dev only), then Redis (embedded unless REDIS_URL), API_PROCESSES API processes (on
    PORT, PORT+1, …) and WORKER_PROCESSES workers under the supervisor (supervisor.py): a crashed worker or Redis is
    restarted with back-off; Ctrl-C stops all cleanly."""
    from db.redis import start_embedded_server, stop_embedded_server
    from supervisor import Child, Supervisor

    refuse_unsafe_configuration()
    settings = get_settings()
    migrate()
    if settings.is_dev:
        seed()
    redis_dir, run_dir = settings.var_dir / "redis", settings.var_dir / "run"
    url = settings.redis_url or f"unix://{redis_dir / 'redis.sock'}"
    # Every API process points certify URLs and callbacks at the same public address (the first port's by default).
    env = {**os.environ, "REDIS_URL": url, "APP_ENV": settings.app_env, "PUBLIC_BASE_URL": settings.public_base_url}
    ports = [settings.port + index for index in range(settings.api_processes)]

    def command(name: str, **extra: str) -> Callable[[], subprocess.Popen[bytes]]:
        # Own sessions: a terminal's Ctrl-C reaches only this supervisor, which stops each child exactly once.
        child_env = {**env, **extra}
        return lambda: subprocess.Popen(  # noqa: S603
            [sys.executable, "manage.py", name], env=child_env, start_new_session=True
        )

    children = [
        Child(_numbered("api", n, len(ports)), command("serve", PORT=str(port)), None, restart=False, pid_dir=run_dir)
        for n, port in enumerate(ports)
    ]
    children += [
        Child(_numbered("worker", n, settings.worker_processes), command("worker"), None, True, run_dir)
        for n in range(settings.worker_processes)
    ]
    if not settings.redis_url:
        redis = Child("redis", lambda: start_embedded_server(redis_dir)[0], stop_embedded_server, True, run_dir)
        children.insert(0, redis)
    print(_banner(settings.host, ports, settings.worker_processes), flush=True)
    return Supervisor(children).run()


def _numbered(name: str, index: int, count: int) -> str:
    """A child's name (and pid file): `api` when alone, `api-1`, `api-2`, … when several."""
    return name if count == 1 else f"{name}-{index + 1}"


def _banner(host: str, ports: list[int], workers: int) -> str:
    """Where the API answers: one line, or one line per API process (PORT, PORT+1, …) and the worker count."""
    first = f"http://{host}:{ports[0]}"
    if len(ports) == 1 and workers == 1:
        return f"\nAPI: {first}/graphql   GraphiQL: {first}/graphiql   dev SMS: {first}/dev/sms?mobile=…\n"
    lines = [f"\n{len(ports)} 个 API 进程 / API processes, {workers} 个 worker 进程 / workers:"]
    lines += [f"  API {n + 1}: http://{host}:{port}/graphql" for n, port in enumerate(ports)]
    lines.append(f"GraphiQL: {first}/graphiql   dev SMS: {first}/dev/sms?mobile=…\n")
    return "\n".join(lines)


def sandbox_notify(args: list[str]) -> int:
    """Decide a sandbox certification as the certify page would, then sign its notice like Alipay and POST it to
    our callback: sandbox-notify CERTIFY_ID pass|fail."""
    from domain.verification import sandbox_decide_and_notify

    if len(args) != 2 or args[1] not in ("pass", "fail"):
        print("usage: python manage.py sandbox-notify CERTIFY_ID pass|fail", file=sys.stderr)
        return 2
    notice, body = asyncio.run(_with_db(lambda: sandbox_decide_and_notify(args[0], args[1] == "pass")))
    print(f"notify_id={notice['notify_id']} callback answered: {body}")
    return 0 if body == "success" else 1


def review_diagram() -> None:
    """Print the review state diagram (Mermaid), generated from domain/review/transitions.py."""
    from domain.review import diagram_mermaid

    sys.stdout.write(diagram_mermaid())


def create_staff(args: list[str]) -> int:
    """An administrator creates one staff account; the password is generated and printed once (or read from
    stdin with --password-stdin and never printed)."""
    from domain.accounts import NewStaff
    from domain.kernel.errors import DomainError
    from domain.review import create_staff_account as create

    parser = argparse.ArgumentParser(prog="manage.py create-staff", description=create_staff.__doc__)
    parser.add_argument("--username", required=True)
    parser.add_argument("--role", required=True, help="ADMIN | PROVINCE | ENTERPRISE | SPECIALTY_MINISTRY | MINISTRY")
    parser.add_argument("--province", help="two-digit province code (PROVINCE role: required)")
    parser.add_argument("--enterprise", help="unified social credit code (ENTERPRISE role: required)")
    parser.add_argument("--specialties", help="comma-separated codes (SPECIALTY_MINISTRY role: required), e.g. 02,03")
    parser.add_argument("--mobile", help="11-digit mobile for notices (optional)")
    parser.add_argument("--display-name", default="")
    parser.add_argument("--password-stdin", action="store_true", help="read the password from the first stdin line")
    parsed = parser.parse_args(args)
    password = sys.stdin.readline().rstrip("\r\n") if parsed.password_stdin else None
    specialties = tuple(parsed.specialties.split(",")) if parsed.specialties else None
    new = NewStaff(
        parsed.username,
        parsed.role,
        parsed.display_name,
        parsed.province,
        parsed.enterprise,
        specialty_codes=specialties,
        mobile=parsed.mobile,
    )
    try:
        staff, chosen = asyncio.run(_with_db(lambda: create(new, password)))
    except DomainError as error:
        print(f"未创建 / not created: {error.field}: {error.message}", file=sys.stderr)
        return 1
    print(f"已创建工作人员账号 / staff account created: {staff.username} ({staff.role.value})")
    if password is None:
        print(f"初始密码（只显示这一次）/ password (shown once): {chosen}")
    return 0


def _import_file(kind: str, args: list[str]) -> int:
    """Import a CSV file (UTF-8, BOM allowed) with a progress bar; prints the report (at most 200 row problems)."""
    from pathlib import Path

    from tqdm import tqdm

    from domain import filings
    from domain.kernel.errors import DomainError

    parser = argparse.ArgumentParser(prog=f"manage.py import-{kind}", description=_import_file.__doc__)
    parser.add_argument("file", type=Path)
    path: Path = parser.parse_args(args).file
    run = filings.import_qualifications if kind == "qualifications" else filings.import_enterprises
    with path.open("rb") as stream, tqdm(total=path.stat().st_size, unit="B", unit_scale=True, file=sys.stderr) as bar:

        def progress(rows: int, position: int) -> None:
            bar.update(position - bar.n)
            bar.set_postfix(rows=rows, refresh=False)

        try:
            report = asyncio.run(_with_db(lambda: run(stream, progress=progress)))
        except DomainError as error:
            bar.close()
            print(f"未导入 / not imported: {error.message}", file=sys.stderr)
            return 1
    print(
        f"读取 {report.rows_read} 行：新增 {report.imported}，更新 {report.updated}，未变 {report.unchanged}，"
        f"有误 {report.error_count} / rows read, imported, updated, unchanged, with errors"
    )
    for problem in report.errors:
        print(f"  第{problem.row}行 {problem.field or ''} {problem.code.value}: {problem.message}")
    if report.errors_not_shown:
        print(f"  …另有 {report.errors_not_shown} 处错误未列出 / more errors not listed")
    return 0 if report.error_count == 0 else 3


def import_qualifications(args: list[str]) -> int:
    """import-qualifications FILE: 姓名,证件号码,专业,资格证书编号,签发日期,临时."""
    return _import_file("qualifications", args)


def import_enterprises(args: list[str]) -> int:
    """import-enterprises FILE: 企业名称,统一社会信用代码,省份,资质状态."""
    return _import_file("enterprises", args)


def certificate_public_key() -> int:
    """Print the public key that verifies certificate QR codes offline (PEM)."""
    from domain.certificates import public_key_pem

    print(public_key_pem(), end="")
    return 0


def verify_certificate(args: list[str]) -> int:
    """Verify a certificate QR payload (or its URL) offline with the public key: prints the signed fields and
    VALID SIGNATURE (exit 0) or FORGED (exit 1). Whether it is still current needs the online check (the page)."""
    from pathlib import Path

    from domain.certificates import ForgedPayload, decode_qr_payload, load_public_key

    parser = argparse.ArgumentParser(prog="manage.py verify-certificate", description=verify_certificate.__doc__)
    parser.add_argument("code", help="the QR payload or the URL it opens")
    parser.add_argument("--public-key", type=Path, help="PEM public key (default: this installation's key)")
    parsed = parser.parse_args(args)
    try:
        key = load_public_key(parsed.public_key.read_bytes()) if parsed.public_key else None
    except (OSError, ValueError) as error:
        print(f"无法读取公钥 / cannot read the public key: {error}", file=sys.stderr)
        return 2
    try:
        facts = decode_qr_payload(parsed.code, key)
    except ForgedPayload as error:
        print(f"FORGED（无效：非本系统签发或已被篡改 / not signed by this key, tampered or malformed: {error}）")
        return 1
    print(f"证书 ID / certificate id: {facts.certificate_id}")
    print(f"注册编号 / number: {facts.number_with_check}")
    print(f"姓名 / name: {facts.name_masked}")
    print(f"证件号码 / ID number: {facts.id_number_masked}")
    print(f"下载编号 / download: {facts.download_id}")
    print(f"使用有效期至 / usable until: {facts.usable_until.isoformat()}")
    print("VALID SIGNATURE（签名有效；证书是否仍为当前有效版本请扫码在线核验 / current or not: check online）")
    return 0


def check_test_env() -> int:
    """In CI (CI=true) PostgreSQL tests are mandatory: TEST_DATABASE_URL must be set."""
    if os.environ.get("CI") == "true" and not os.environ.get("TEST_DATABASE_URL"):
        print("CI=true but TEST_DATABASE_URL is not set: the PostgreSQL run is mandatory in CI", file=sys.stderr)
        return 1
    return 0


COMMANDS: dict[str, Callable[[], Any]] = {
    "run": run,
    "serve": serve,
    "worker": worker,
    "migrate": migrate,
    "seed": seed,
    "verify-trail": verify_trail,
    "export-schema": export_schema,
    "review-diagram": review_diagram,
    "check-test-env": check_test_env,
    "certificate-public-key": certificate_public_key,
}


WITH_ARGUMENTS: dict[str, Callable[[list[str]], int]] = {
    "sandbox-notify": sandbox_notify,
    "create-staff": create_staff,
    "import-qualifications": import_qualifications,
    "import-enterprises": import_enterprises,
    "verify-certificate": verify_certificate,
}
LOG_ROLES = {"serve": "api", "worker": "worker"}  # how each process names itself in the log lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("command", choices=sorted([*COMMANDS, *WITH_ARGUMENTS]))
    parser.add_argument("args", nargs=argparse.REMAINDER)
    parsed = parser.parse_args()
    if parsed.command not in ("export-schema", "check-test-env", "certificate-public-key", "verify-certificate"):
        configure_logging(LOG_ROLES.get(parsed.command, parsed.command))
    if parsed.command in WITH_ARGUMENTS:
        return WITH_ARGUMENTS[parsed.command](parsed.args)
    result = COMMANDS[parsed.command]()
    return result if isinstance(result, int) else 0


if __name__ == "__main__":
    sys.exit(main())
