"""Typed settings, read once from the environment (``.chalice/config.json`` stages set it)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field

from chalicelib.domain.booking.limits import DEFAULT_LIMITS, Limit, limits_from_env
from chalicelib.domain.signup import SignUpPolicy

LOCAL_STAGE = "local"
# ``local`` is `make run` and the tests; the others are the AWS stacks (infra/params/<stage>.params).
STAGES = (LOCAL_STAGE, "dev", "prod")
DEFAULT_PUBLIC_BASE_URL = "http://127.0.0.1:8000"


class StageError(Exception):
    """STAGE is missing or unknown: the app refuses to start rather than guess one."""


def require_stage(env: Mapping[str, str] | None = None) -> str:
    """The stage the environment names. There is no default: ``local`` turns on the dev login,
    so it must be asked for, never fallen into."""
    env = os.environ if env is None else env
    stage = env.get("STAGE", "").strip()
    if not stage:
        raise StageError(
            f"STAGE is not set: set it to one of {', '.join(STAGES)} "
            "(make run and the tests use local; the AWS stacks set it themselves)"
        )
    if stage not in STAGES:
        raise StageError(f"STAGE={stage!r} is not a known stage: use one of {', '.join(STAGES)}")
    return stage


@dataclass(frozen=True)
class Settings:
    stage: str
    table_name: str
    region: str
    dynamodb_endpoint: str | None
    token_issuer: str
    jwks_url: str | None
    app_client_id: str
    sender_email: str
    allowed_origins: tuple[str, ...]
    var_dir: str
    ses_configuration_set: str = ""  # empty: send without one (no event publishing)
    # Origin of the booking pages, for the links in emails (no trailing slash).
    public_base_url: str = DEFAULT_PUBLIC_BASE_URL
    # KMS key that seals manage-link tokens; empty on the local stage (a key file in var_dir).
    manage_link_key_arn: str = ""
    # Host of the Cognito hosted UI (``<prefix>.auth.<region>.amazoncognito.com``); the dashboard
    # signs in there. Empty on the local stage, which signs in through POST /dev/login.
    cognito_domain: str = ""
    # DynamoDB client limits: a call waits at most about attempts x read timeout before it is a
    # 503, well within API Gateway's 29 s. Tests that load DynamoDB Local heavily raise them.
    dynamodb_connect_timeout_seconds: float = 1.0
    dynamodb_read_timeout_seconds: float = 2.0
    dynamodb_max_attempts: int = 2
    # Abuse limits (chalicelib/domain/booking/limits.py): the production defaults unless RATE_LIMIT_<NAME>
    # or RATE_LIMITS=off say otherwise, on every stage, the local one included.
    rate_limits: tuple[tuple[str, Limit], ...] = field(
        default_factory=lambda: tuple(sorted(DEFAULT_LIMITS.items()))
    )
    # Who may become a provider (SIGNUP_POLICY open|allowlist, SIGNUP_ALLOWLIST); docs/deploy.md.
    signup: SignUpPolicy = field(default_factory=SignUpPolicy)
    # The providers' photos (infra: PhotosBucket); empty on the local stage (files in var_dir).
    photos_bucket: str = ""

    def limit(self, name: str) -> Limit | None:
        return dict(self.rate_limits).get(name)

    @property
    def is_local(self) -> bool:
        return self.stage == LOCAL_STAGE

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        stage = require_stage(env)
        origins = tuple(o.strip() for o in env.get("ALLOWED_ORIGINS", "").split(",") if o.strip())
        return cls(
            stage=stage,
            table_name=env.get("TABLE_NAME", f"scheduler-{stage}"),
            region=env.get("AWS_REGION", env.get("AWS_DEFAULT_REGION", "us-east-1")),
            dynamodb_endpoint=env.get("DYNAMODB_ENDPOINT") or None,
            token_issuer=env.get("TOKEN_ISSUER", ""),
            jwks_url=env.get("JWKS_URL") or None,
            app_client_id=env.get("APP_CLIENT_ID", ""),
            sender_email=env.get("SENDER_EMAIL", ""),
            allowed_origins=origins,
            var_dir=env.get("VAR_DIR", "var"),
            ses_configuration_set=env.get("SES_CONFIGURATION_SET", "").strip(),
            public_base_url=(env.get("PUBLIC_BASE_URL") or DEFAULT_PUBLIC_BASE_URL).strip().rstrip("/"),
            manage_link_key_arn=env.get("MANAGE_LINK_KEY_ARN", "").strip(),
            cognito_domain=_host(env.get("COGNITO_DOMAIN", "")),
            dynamodb_connect_timeout_seconds=float(env.get("DYNAMODB_CONNECT_TIMEOUT_SECONDS", "1")),
            dynamodb_read_timeout_seconds=float(env.get("DYNAMODB_READ_TIMEOUT_SECONDS", "2")),
            dynamodb_max_attempts=max(1, int(env.get("DYNAMODB_MAX_ATTEMPTS", "2"))),
            rate_limits=limits_from_env(env),
            signup=SignUpPolicy.from_env(env),
            photos_bucket=env.get("PHOTOS_BUCKET", "").strip(),
        )


def _host(value: str) -> str:
    """``https://auth.example.com/`` or ``auth.example.com``: the bare host either way."""
    value = value.strip()
    return value.split("://", 1)[-1].strip("/")
