"""Stage ``local`` only: the app signs its own Cognito-shaped tokens with a key kept in ``var/``.

The tokens are checked by the same verifier as in AWS; only the key source differs.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import time
import uuid
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from chalicelib.services.shared import TokenIssuer, Tokens

TOKEN_LIFETIME_SECONDS = 3600
KEY_FILE = "local-issuer-key.pem"
SUB_NAMESPACE = uuid.UUID("8c1b7f3e-2f7d-4c55-9a53-5b0d7a3c9e11")


def _load_or_create_key(path: Path) -> rsa.RSAPrivateKey:
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(pem)
        os.chmod(tmp, 0o600)
        try:
            os.link(tmp, path)  # atomic and first-writer-wins when two processes race
        except FileExistsError:
            pass
        finally:
            tmp.unlink()
    loaded = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(loaded, rsa.RSAPrivateKey):
        raise ValueError(f"{path} does not hold an RSA private key")
    return loaded


def local_sub(email: str, google_sub: str | None = None) -> str:
    """The subject the local issuer gives a user: stable, so a provider survives restarts.

    A Google sign-in is its own user whatever its email, as in a Cognito pool, where a federated
    user is ``Google_<subject>``: two Google accounts with one email are two users.
    """
    return str(uuid.uuid5(SUB_NAMESPACE, email.lower() if google_sub is None else f"Google_{google_sub}"))


def google_identity(google_sub: str, issued_at: int) -> dict[str, Any]:
    """An ``identities`` entry as Cognito writes it for a user federated through Google."""
    return {
        "userId": google_sub,
        "providerName": "Google",
        "providerType": "Google",
        "issuer": None,
        "primary": "true",
        "dateCreated": str(issued_at * 1000),
    }


class LocalIssuer(TokenIssuer):
    def __init__(self, var_dir: str, issuer: str, client_id: str) -> None:
        self._key = _load_or_create_key(Path(var_dir) / KEY_FILE)
        self.issuer = issuer
        self.client_id = client_id
        jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self._key.public_key()))
        self.kid = _thumbprint(jwk)
        self._public_jwk = {**jwk, "kid": self.kid, "alg": "RS256", "use": "sig"}

    def jwks(self) -> dict[str, Any]:
        return {"keys": [self._public_jwk]}

    def issue(self, email: str, name: str, google_sub: str | None = None, now: float | None = None) -> Tokens:
        """An id token and an access token for ``email``; the same email keeps the same ``sub``.

        With ``google_sub``, the tokens of a Cognito user federated through that Google account:
        its own ``sub``, ``identities`` in the id token, ``Google_<subject>`` as the username.
        """
        issued_at = int(time.time() if now is None else now)
        sub = local_sub(email, google_sub)
        username = sub if google_sub is None else f"Google_{google_sub}"
        common = {
            "sub": sub,
            "iss": self.issuer,
            "iat": issued_at,
            "auth_time": issued_at,
            "exp": issued_at + TOKEN_LIFETIME_SECONDS,
        }
        id_claims = {
            **common,
            "aud": self.client_id,
            "token_use": "id",
            "email": email,
            "email_verified": True,
            "name": name,
            "cognito:username": username,
        }
        if google_sub is not None:
            id_claims["identities"] = [google_identity(google_sub, issued_at)]
        access_claims = {
            **common,
            "client_id": self.client_id,
            "token_use": "access",
            "scope": "openid email profile",
            "username": username,
            "jti": str(uuid.uuid4()),
        }
        headers = {"kid": self.kid}
        return Tokens(
            id_token=jwt.encode(id_claims, self._key, algorithm="RS256", headers=headers),
            access_token=jwt.encode(access_claims, self._key, algorithm="RS256", headers=headers),
            token_type="Bearer",
            expires_in=TOKEN_LIFETIME_SECONDS,
        )


def _thumbprint(jwk: dict[str, Any]) -> str:
    """RFC 7638 thumbprint: a stable key id derived from the public key."""
    canonical = json.dumps({k: jwk[k] for k in ("e", "kty", "n")}, separators=(",", ":"))
    digest = hashlib.sha256(canonical.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
