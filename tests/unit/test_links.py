"""Sealed manage tokens: they open for their own appointment only, locally and with KMS (moto)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest
from moto import mock_aws

from chalicelib.adapters.links import KmsLinkSealer, LocalLinkSealer, sealer_for
from chalicelib.config import Settings
from chalicelib.domain.errors import SealedLinkError
from chalicelib.services.shared import LinkSealer

pytestmark = pytest.mark.unit
TOKEN = "tok-3f9a-secret-value"


@pytest.fixture
def kms() -> Iterator[KmsLinkSealer]:
    with mock_aws():
        client = boto3.client("kms", region_name="us-east-1")
        arn = client.create_key(Description="manage links")["KeyMetadata"]["Arn"]
        yield KmsLinkSealer(client, arn)


def check(sealer: LinkSealer) -> None:
    sealed = sealer.seal("A1", TOKEN)
    assert TOKEN not in sealed
    assert sealer.open("A1", sealed) == TOKEN
    assert sealer.seal("A1", TOKEN) != sealed, "sealing twice gives different text"
    with pytest.raises(SealedLinkError):
        sealer.open("A2", sealed)


def test_local_sealing_round_trips_and_binds_the_appointment(tmp_path: Path) -> None:
    check(LocalLinkSealer.from_var_dir(tmp_path))


def test_the_local_key_is_made_once_and_kept(tmp_path: Path) -> None:
    sealed = LocalLinkSealer.from_var_dir(tmp_path).seal("A1", TOKEN)
    assert LocalLinkSealer.from_var_dir(tmp_path).open("A1", sealed) == TOKEN
    assert (tmp_path / "manage-link.key").stat().st_mode & 0o077 == 0


def test_another_key_or_damage_is_a_sealed_link_error(tmp_path: Path) -> None:
    sealed = LocalLinkSealer(b"a" * 32).seal("A1", TOKEN)
    with pytest.raises(SealedLinkError):
        LocalLinkSealer(b"b" * 32).open("A1", sealed)
    with pytest.raises(SealedLinkError):
        LocalLinkSealer(b"a" * 32).open("A1", sealed[:-4] + "AAAA")
    with pytest.raises(SealedLinkError):
        LocalLinkSealer(b"a" * 32).open("A1", "kms1:abc")


def test_kms_sealing_round_trips_and_binds_the_appointment(kms: KmsLinkSealer) -> None:
    check(kms)


def test_the_stage_chooses_the_sealer(tmp_path: Path) -> None:
    local = Settings.from_env({"STAGE": "local", "VAR_DIR": str(tmp_path)})
    assert isinstance(sealer_for(local), LocalLinkSealer)
    with pytest.raises(ValueError, match="MANAGE_LINK_KEY_ARN"):
        sealer_for(Settings.from_env({"STAGE": "prod"}))
    arn = "arn:aws:kms:us-east-1:111111111111:key/00000000-0000-0000-0000-000000000000"
    assert isinstance(
        sealer_for(Settings.from_env({"STAGE": "prod", "MANAGE_LINK_KEY_ARN": arn})), KmsLinkSealer
    )
