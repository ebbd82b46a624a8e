"""Webhook sends through the one outbound guard (``chalicelib/adapters/outbound.py``).

Every send checks the URL and every address its host resolves to again (an endpoint saved while
public may resolve to a private address later), follows no redirect, and reads the answer up to
64 KB. Loopback and http are allowed on the local stage only, as the composition root says.
"""

from __future__ import annotations

from chalicelib.adapters.outbound import check_url, fetch, resolve_public
from chalicelib.domain.integrations.webhooks import READ_AT_MOST
from chalicelib.domain.outbound import parse_target
from chalicelib.services.integrations.ports import SendAnswer, WebhookSender

USER_AGENT = "scheduler-webhooks/1"


class GuardedWebhookSender(WebhookSender):
    def __init__(self, allow_local: bool) -> None:
        self.allow_local = allow_local

    def check_address(self, url: str) -> None:
        check_url(url, allow_local=self.allow_local)
        target = parse_target(url, allow_local=self.allow_local)
        resolve_public(target.host, target.port, allow_local=self.allow_local)

    def post(self, url: str, body: bytes, headers: dict[str, str], timeout: float) -> SendAnswer:
        answer = fetch(
            url,
            allow_local=self.allow_local,
            method="POST",
            body=body,
            headers={"Content-Type": "application/json", "User-Agent": USER_AGENT, **headers},
            timeout=timeout,
            max_bytes=READ_AT_MOST,
            truncate=True,
        )
        return SendAnswer(answer.status, answer.elapsed_ms, answer.body, answer.headers.get("retry-after"))
