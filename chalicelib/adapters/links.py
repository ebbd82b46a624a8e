"""Sealing manage-link tokens: AWS KMS on AWS stages, a key file under ``var/`` locally.

The token itself is stored only as a hash (to check links). A sealed copy lets the stream
consumer and the reminder sweep put the working link into client emails, days or weeks later,
while the console and backups show nothing usable. The appointment id is bound in (KMS
encryption context, AES-GCM associated data), so a sealed token moved to another booking does
not open.
"""

from __future__ import annotations

import base64
import binascii
import os
import secrets
from pathlib import Path
from typing import TYPE_CHECKING, Any

from chalicelib.domain.errors import DependencyUnavailableError, SealedLinkError
from chalicelib.services.shared import LinkSealer

if TYPE_CHECKING:
    from chalicelib.config import Settings

KEY_FILE = "manage-link.key"
LOCAL_PREFIX = "local1:"
KMS_PREFIX = "kms1:"
NONCE_BYTES = 12


class LocalLinkSealer(LinkSealer):
    """AES-256-GCM with a random key kept in ``<var_dir>/manage-link.key`` (made once)."""

    def __init__(self, key: bytes) -> None:
        if len(key) != 32:
            raise ValueError("the local link key must be 32 bytes")
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        self._aead = AESGCM(key)

    @classmethod
    def from_var_dir(cls, var_dir: str | os.PathLike[str]) -> LocalLinkSealer:
        path = Path(var_dir) / KEY_FILE
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_suffix(f".{secrets.token_hex(4)}.tmp")
            partial.write_bytes(secrets.token_bytes(32))
            partial.chmod(0o600)
            if not path.exists():  # another process may have made it meanwhile: keep theirs
                os.replace(partial, path)
            partial.unlink(missing_ok=True)
        return cls(path.read_bytes())

    def seal(self, appointment_id: str, token: str) -> str:
        nonce = secrets.token_bytes(NONCE_BYTES)
        sealed = self._aead.encrypt(nonce, token.encode("utf-8"), appointment_id.encode("utf-8"))
        return LOCAL_PREFIX + base64.urlsafe_b64encode(nonce + sealed).decode("ascii")

    def open(self, appointment_id: str, sealed: str) -> str:
        from cryptography.exceptions import InvalidTag

        if not sealed.startswith(LOCAL_PREFIX):
            raise SealedLinkError("This token was sealed with another kind of key.")
        try:
            raw = base64.urlsafe_b64decode(sealed.removeprefix(LOCAL_PREFIX))
            plain = self._aead.decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], appointment_id.encode("utf-8"))
        except (InvalidTag, ValueError, binascii.Error) as error:
            raise SealedLinkError("The sealed token does not open with this key.") from error
        return plain.decode("utf-8")


class KmsLinkSealer(LinkSealer):
    """A symmetric KMS key; the function role may Encrypt and Decrypt with it, nothing else."""

    def __init__(self, client: Any, key_arn: str) -> None:
        self._client = client
        self._key_arn = key_arn

    @classmethod
    def from_settings(cls, settings: Settings) -> KmsLinkSealer:
        import boto3
        from botocore.config import Config

        config = Config(connect_timeout=2, read_timeout=5, retries={"mode": "standard", "max_attempts": 3})
        return cls(
            boto3.client("kms", region_name=settings.region, config=config), settings.manage_link_key_arn
        )

    def seal(self, appointment_id: str, token: str) -> str:
        response = self._call(
            "encrypt",
            KeyId=self._key_arn,
            Plaintext=token.encode("utf-8"),
            EncryptionContext={"appointment_id": appointment_id},
        )
        return KMS_PREFIX + base64.b64encode(response["CiphertextBlob"]).decode("ascii")

    def open(self, appointment_id: str, sealed: str) -> str:
        if not sealed.startswith(KMS_PREFIX):
            raise SealedLinkError("This token was sealed with another kind of key.")
        try:
            blob = base64.b64decode(sealed.removeprefix(KMS_PREFIX), validate=True)
        except binascii.Error as error:
            raise SealedLinkError("The sealed token is damaged.") from error
        response = self._call(
            "decrypt",
            KeyId=self._key_arn,
            CiphertextBlob=blob,
            EncryptionContext={"appointment_id": appointment_id},
        )
        return bytes(response["Plaintext"]).decode("utf-8")

    def _call(self, operation: str, **params: Any) -> dict[str, Any]:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            result: dict[str, Any] = getattr(self._client, operation)(**params)
        except ClientError as error:
            code = str(error.response.get("Error", {}).get("Code", "Unknown"))
            if code in {"InvalidCiphertextException", "IncorrectKeyException"}:
                raise SealedLinkError(f"KMS could not open the sealed token ({code}).") from None
            raise DependencyUnavailableError(f"KMS did not answer ({code}).") from None
        except BotoCoreError as error:
            raise DependencyUnavailableError(f"KMS could not be reached ({type(error).__name__}).") from error
        return result


def sealer_for(settings: Settings) -> LinkSealer:
    if settings.manage_link_key_arn:
        return KmsLinkSealer.from_settings(settings)
    if settings.is_local:
        return LocalLinkSealer.from_var_dir(settings.var_dir)
    raise ValueError("MANAGE_LINK_KEY_ARN is required outside the local stage")
