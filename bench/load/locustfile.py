"""Peak day (locust, run by `python -m bench.load` as its own process; never imported by the portal or its tests).

Applicants log in (captcha answer from /dev/captcha), poll their dashboard and file one initial registration each
(code from requestSmsCode, read from /dev/sms); from the storm's start, storm users log in back to back; staff work
their queue (an enterprise reviewer confirms, a ministry reviewer approves) when the schema has the review fields.
Every answer is checked: an HTTP status other than 200, a top-level `errors`, a payload error or a missing field
is a failure. Request names carry the phase of the dashboard (`ramp`, `rest`, `storm`). The runner's JSON
(LOAD_CONFIG) says where, who and when; accepted filings are appended to its `filed` file."""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import time
from pathlib import Path
from typing import Any

from locust import FastHttpUser, between, constant, events, task
from locust.exception import StopUser

CONFIG: dict[str, Any] = json.loads(Path(os.environ["LOAD_CONFIG"]).read_text())
BASES: list[str] = CONFIG["bases"]
CAPTCHA = "query { captcha { id } }"
LOGIN = "mutation($input: LoginInput!) { login(input: $input) { token errors { code message } } }"
STAFF_LOGIN = "mutation($input: StaffLoginInput!) { staffLogin(input: $input) { token errors { code message } } }"
REQUEST_SMS = """mutation { requestSmsCode(input: {purpose: FILING_INITIAL}) { errors { code message } } }"""
FILE = """mutation($input: FileInitialRegistrationInput!) { fileInitialRegistration(input: $input) {
  errors { field code message } application { id status } } }"""
CODE = re.compile(r"验证码(\d{6})")
SMS_WAIT_S = 60.0
_applicants = itertools.count()
_users = itertools.count()
_started = {"at": time.monotonic()}


@events.test_start.add_listener
def _on_start(**_: Any) -> None:
    _started["at"] = time.monotonic()


def elapsed_s() -> float:
    return time.monotonic() - _started["at"]


def phase() -> str:
    """ramp (users arriving and logging in), rest, storm."""
    now = elapsed_s()
    if now < CONFIG["settle_s"]:
        return "ramp"
    return "rest" if now < CONFIG["storm_at_s"] else "storm"


class PortalUser(FastHttpUser):
    """A client of one API process (users spread over the processes in turn)."""

    abstract = True
    host = BASES[0]

    def on_start(self) -> None:
        self.base = BASES[next(_users) % len(BASES)]
        self.token = ""

    def graphql(self, name: str, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any] | None:
        """POST /graphql; the `data`, or None after recording a failure (status, top-level errors, no data)."""
        headers = {"authorization": f"Bearer {self.token}"} if self.token else {}
        body = {"query": query, "variables": variables or {}}
        with self.client.post(
            f"{self.base}/graphql", json=body, headers=headers, name=name, catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}: {(response.text or '')[:200]}")
                return None
            answer = response.json()
            if answer.get("errors") or not answer.get("data"):
                response.failure(f"errors: {json.dumps(answer.get('errors'), ensure_ascii=False)[:300]}")
                return None
            data: dict[str, Any] = answer["data"]
            return data

    def mutation(self, name: str, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any] | None:
        """A mutation's payload, or None after recording a failure (its payload `errors` included)."""
        with self.client.post(
            f"{self.base}/graphql",
            json={"query": query, "variables": variables or {}},
            headers={"authorization": f"Bearer {self.token}"} if self.token else {},
            name=name,
            catch_response=True,
        ) as response:
            answer = response.json() if response.status_code == 200 else {}
            payload = (answer.get("data") or {}).get(name)
            if response.status_code != 200 or answer.get("errors") or payload is None or payload.get("errors"):
                detail = answer.get("errors") or (payload or {}).get("errors") or (response.text or "")[:200]
                response.failure(f"HTTP {response.status_code}: {json.dumps(detail, ensure_ascii=False)[:300]}")
                return None
            result: dict[str, Any] = payload
            return result

    def captcha(self, suffix: str) -> tuple[str, str] | None:
        """A captcha and its answer from the dev route."""
        data = self.graphql(f"captcha{suffix}", CAPTCHA)
        if data is None:
            return None
        captcha_id = data["captcha"]["id"]
        with self.client.get(
            f"{self.base}/dev/captcha/{captcha_id}", name=f"dev captcha answer{suffix}", catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
                return None
            return captcha_id, str(response.json()["answer"])


class Applicant(PortalUser):
    """Logs in once, polls the dashboard, files one initial registration at a random moment of the run."""

    wait_time = between(1.0, 3.0)

    def on_start(self) -> None:
        super().on_start()
        index = next(_applicants)
        if index >= len(CONFIG["applicants"]):
            raise StopUser()
        self.me: dict[str, str] = CONFIG["applicants"][index]
        low, high = CONFIG["filing_window_s"]
        self.file_at = random.uniform(low, high)
        self.filed = False
        self.login()

    def login(self) -> None:
        answer = self.captcha("")
        if answer is None:
            raise StopUser()
        form = {"idNumber": self.me["id_number"], "password": CONFIG["password"]}
        payload = self.mutation("login", LOGIN, {"input": {**form, "captchaId": answer[0], "captchaAnswer": answer[1]}})
        if payload is None or not payload.get("token"):
            raise StopUser()
        self.token = payload["token"]

    @task
    def work(self) -> None:
        if not self.filed and elapsed_s() >= self.file_at:
            self.filed = True
            self.file()
        else:
            self.dashboard()

    def dashboard(self) -> None:
        data = self.graphql(f"dashboard ({phase()})", CONFIG["dashboard_query"], {"first": 20})
        if data is not None and not data.get("viewer"):
            events.request.fire(  # type: ignore[no-untyped-call]
                request_type="CHECK", name="dashboard viewer", response_time=0, response_length=0,
                exception=AssertionError("viewer is null"),
            )  # fmt: skip

    def file(self) -> None:
        if self.mutation("requestSmsCode", REQUEST_SMS) is None:
            return
        code = self.sms_code()
        if code is None:
            return
        variables = {"input": {**CONFIG["filing"], "acceptTerms": True, "smsCode": code}}
        payload = self.mutation("fileInitialRegistration", FILE, variables)
        if payload is not None:
            with Path(CONFIG["filed_file"]).open("a") as filed:
                filed.write(json.dumps({"id": payload["application"]["id"], "mobile": self.me["mobile"]}) + "\n")

    def sms_code(self) -> str | None:
        """The filing code, once the worker has delivered it to the dev inbox (polled, with a deadline)."""
        deadline = time.monotonic() + SMS_WAIT_S
        while time.monotonic() < deadline:
            response = self.client.get(
                f"{self.base}/dev/sms?mobile={self.me['mobile']}", name="dev sms (until delivered)"
            )
            for message in response.json().get("messages", []) if response.status_code == 200 else []:
                found = CODE.search(message.get("text", ""))
                if found:
                    return found.group(1)
            time.sleep(0.25)  # gevent's sleep in locust: other users run meanwhile
        events.request.fire(  # type: ignore[no-untyped-call]
            request_type="CHECK", name="filing code delivered", response_time=SMS_WAIT_S * 1000, response_length=0,
            exception=AssertionError(f"no filing code for {self.me['mobile']} within {SMS_WAIT_S} s"),
        )  # fmt: skip
        return None


class StormUser(PortalUser):
    """From the storm's start, logs in back to back as one of the applicants (new sessions, real password hashes)."""

    wait_time = constant(0)
    fixed_count = int(CONFIG["storm_users"])

    def on_start(self) -> None:
        super().on_start()
        wait = CONFIG["storm_at_s"] - elapsed_s()
        if wait > 0:
            time.sleep(wait)

    @task
    def login(self) -> None:
        me = random.choice(CONFIG["applicants"])
        answer = self.captcha(" (storm)")
        if answer is None:
            return
        form = {"idNumber": me["id_number"], "password": CONFIG["password"]}
        variables = {"input": {**form, "captchaId": answer[0], "captchaAnswer": answer[1]}}
        self.mutation_named("login (storm)", "login", LOGIN, variables)

    def mutation_named(self, label: str, field: str, query: str, variables: dict[str, Any]) -> None:
        with self.client.post(
            f"{self.base}/graphql", json={"query": query, "variables": variables}, name=label, catch_response=True
        ) as response:
            answer = response.json() if response.status_code == 200 else {}
            payload = (answer.get("data") or {}).get(field) or {}
            if response.status_code != 200 or answer.get("errors") or not payload.get("token"):
                response.failure(f"HTTP {response.status_code}: {json.dumps(answer, ensure_ascii=False)[:300]}")


class Reviewer(PortalUser):
    """Staff working one queue: the first page of their stage, a decision on each item."""

    abstract = True
    wait_time = between(1.0, 2.0)
    account = ""
    stage_key = ""
    decision = ""

    def on_start(self) -> None:
        super().on_start()
        answer = self.captcha(" (staff)")
        if answer is None:
            raise StopUser()
        form = {"username": self.account, "password": CONFIG["staff"][self.account]}
        variables = {"input": {**form, "captchaId": answer[0], "captchaAnswer": answer[1]}}
        payload = self.mutation("staffLogin", STAFF_LOGIN, variables)
        if payload is None or not payload.get("token"):
            raise StopUser()
        self.token = payload["token"]

    @task
    def work_the_queue(self) -> None:
        review = CONFIG["review"]
        stage = review[self.stage_key]
        node = "application { id }" if review["item_has_application"] else "id"
        query = f"{{ reviewQueue(stage: {stage}, first: 20) {{ edges {{ node {{ {node} }} }} }} }}"
        data = self.graphql(f"reviewQueue {stage}", query)
        if data is None:
            return
        for edge in data["reviewQueue"]["edges"]:
            item = edge["node"]
            self.decide(item["application"]["id"] if review["item_has_application"] else item["id"])

    def decide(self, application_id: str) -> None:
        raise NotImplementedError


class EnterpriseReviewer(Reviewer):
    """enterprise-demo (中建示范建设集团有限公司's HR) confirms its employees' filings."""

    fixed_count = 1
    account = "enterprise-demo"
    stage_key = "enterprise_stage"

    def decide(self, application_id: str) -> None:
        query = "mutation($id: ID!) { confirmApplication(input: {id: $id}) { errors { code message } } }"
        self.mutation("confirmApplication", query, {"id": application_id})


class MinistryReviewer(Reviewer):
    """ministry-reviewer approves what reaches the ministry."""

    fixed_count = 1
    account = "ministry-reviewer"
    stage_key = "ministry_stage"

    def decide(self, application_id: str) -> None:
        query = """mutation($id: ID!) { reviewApplication(input: {id: $id, decision: APPROVE,
          comment: "经审查，符合注册条件。"}) { errors { code message } } }"""
        self.mutation("reviewApplication", query, {"id": application_id})
