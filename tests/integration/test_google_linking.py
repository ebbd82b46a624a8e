"""An imported provider is claimed by the first sign-in of its Google account, and by nobody else.

On DynamoDB Local, through the HTTP app: the local issuer's ``POST /dev/login`` with a
``google_sub`` mints the id token a Cognito user federated through Google gets, so the whole path
(token, verification, link, every route) runs as in AWS.
"""

from __future__ import annotations

import json
import threading
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import jwt
import pytest

from chalicelib import bootstrap
from chalicelib.adapters.dynamo import keys
from chalicelib.adapters.dynamo.account_items import GoogleClaimItem, SignInItem
from chalicelib.adapters.dynamo.base import get_or_none
from chalicelib.adapters.dynamo.profile_items import google_to_item, provider_to_item
from chalicelib.domain.booking.appointments import CONFIRMED, Appointment
from chalicelib.domain.booking.clients import Client
from chalicelib.domain.catalog import Service
from chalicelib.domain.ids import new_id
from chalicelib.domain.provider import Identity, Provider
from chalicelib.services.accounts.linking import LinkCache, Linking
from devtools.dynamo_calls import counting
from tests.api import JSON, Api
from tests.client_builders import make_client

pytestmark = pytest.mark.integration
STAMP = "2024-05-01T08:00:00Z"


def google_subject() -> str:
    return str(uuid.uuid4().int)[:21]


def imported(container: bootstrap.Container, subject: str, email: str) -> dict[str, str]:
    """A provider as the import writes it: profile with the old Google subject, the import's
    record of that subject, a service, a client and an appointment of that client."""
    provider = Provider(
        id=new_id(),
        email=email,
        name="Ana Imported",
        timezone="Europe/Lisbon",
        created_at=STAMP,
        updated_at=STAMP,
    )
    provider.google_subjects = [subject]
    provider_to_item(provider).save()
    google_to_item(subject, provider.id).save()
    service = Service(
        new_id(), provider.id, "Old massage", duration_minutes=60, price=Decimal("45.00"), currency="EUR"
    )
    container.repo.add_service(service)
    client = make_client(container.repo, provider.id, name="Rui Client")
    start = datetime.now(UTC).replace(microsecond=0) + timedelta(days=20)
    appointment = appointment_of(provider, client, service, start)
    # Written as a booking writes it (busy time and all), as the import's writer does.
    container.repo.add_appointment(appointment, f"hash-{appointment.id}", "sealed", client, False)
    return {"id": provider.id, "service": service.id, "client": client.id, "appointment": appointment.id}


def appointment_of(provider: Provider, client: Client, service: Service, start: datetime) -> Appointment:
    return Appointment(
        id=new_id(),
        provider_id=provider.id,
        service_id=service.id,
        service_name=service.name,
        start=start,
        end=start + timedelta(minutes=service.duration_minutes),
        status=CONFIRMED,
        client_id=client.id,
        client_timezone="Europe/Lisbon",
        price=service.price,
        currency=service.currency,
        created_at=STAMP,
        updated_at=STAMP,
        time_blocks=True,
        contact_name=client.name,
        contact_email=client.email or "",
        source="import",
    )


def sign_in(http: Any, email: str, google_sub: str | None = None) -> Api:
    """An Api whose calls carry the id token of that sign-in (no call made yet)."""
    api = Api(http, anonymous=True)
    body: dict[str, Any] = {"email": email, "name": "Ana"}
    if google_sub is not None:
        body["google_sub"] = google_sub
    login = http.post("/dev/login", headers=JSON, body=json.dumps(body))
    assert login.status_code == 200, login.body
    api.headers["Authorization"] = f"Bearer {json.loads(login.body)['id_token']}"
    return api


def test_the_first_google_sign_in_reaches_the_imported_provider_s_data_on_every_route(
    http: Any, container: bootstrap.Container
) -> None:
    subject, email = google_subject(), f"ana-{uuid.uuid4().hex[:8]}@example.com"
    old = imported(container, subject, email)
    ana = sign_in(http, email, subject)

    me = ana.get("/me")
    assert me.status == 200, me
    assert (me.json["id"], me.json["name"]) == (old["id"], "Ana Imported")
    assert [s["id"] for s in ana.get("/services").json["items"]] == [old["service"]]
    assert [c["id"] for c in ana.get("/clients").json["items"]] == [old["client"]]
    assert ana.get(f"/appointments/{old['appointment']}").status == 200
    assert ana.patch("/me", {"name": "Ana Here"}).json["id"] == old["id"]
    # The link and the claim, one each, name the sign-in by its own provider id (never the email).
    own = Identity(sub=_sub(ana), email=None, name=None, token_use="id").own_provider_id
    link = get_or_none(SignInItem, keys.sign_in_pk(own), keys.SIGN_IN, consistent_read=True)
    claim = get_or_none(GoogleClaimItem, keys.google_pk(subject), keys.GOOGLE_CLAIM, consistent_read=True)
    assert link is not None and (link.provider_id, link.google_subject) == (old["id"], subject)
    assert claim is not None and (claim.provider_id, claim.claimed_by) == (old["id"], own)


def test_the_same_email_with_another_google_account_or_none_gets_a_new_empty_provider(
    http: Any, container: bootstrap.Container
) -> None:
    subject, email = google_subject(), f"ana-{uuid.uuid4().hex[:8]}@example.com"
    old = imported(container, subject, email)

    for other in (sign_in(http, email, google_subject()), sign_in(http, email)):
        me = other.get("/me")
        assert me.status == 200
        assert me.json["id"] != old["id"]
        assert me.json["email"] == email, "the same email, and still not the imported provider"
        assert other.get("/services").json["items"] == []
        assert other.get("/clients").json["items"] == []
        assert other.get(f"/appointments/{old['appointment']}").status == 404
        assert other.get(f"/clients/{old['client']}").status == 404
    # The import is still there for its own Google account.
    assert sign_in(http, "changed@example.com", subject).get("/me").json["id"] == old["id"]


def test_two_first_sign_ins_at_once_claim_the_import_once(http: Any, container: bootstrap.Container) -> None:
    subject, email = google_subject(), f"ana-{uuid.uuid4().hex[:8]}@example.com"
    old = imported(container, subject, email)
    tokens = [sign_in(http, email, subject).headers["Authorization"] for _ in range(6)]
    start = threading.Barrier(len(tokens))
    seen: list[str] = []

    def first_call(token: str) -> None:
        # Each thread its own container, so no cache is shared: they race on the table only.
        identity = bootstrap.container().verifier.verify(token.removeprefix("Bearer "))
        linking = Linking(container.linking.links, container.clock, LinkCache())
        start.wait()
        seen.append(linking.resolve(identity).provider_id)

    threads = [threading.Thread(target=first_call, args=(t,)) for t in tokens]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert seen == [old["id"]] * len(tokens)


def test_two_cognito_users_of_one_google_account_at_once_one_claims_the_other_gets_its_own(
    container: bootstrap.Container,
) -> None:
    """A federated user and a native one linked to the same Google account: one claim only."""
    subject = google_subject()
    old = imported(container, subject, "ana@example.com")
    users = [
        Identity(str(uuid.uuid4()), "ana@example.com", "Ana", "id", google_subjects=(subject,))
        for _ in range(4)
    ]
    start = threading.Barrier(len(users))
    seen: dict[str, str] = {}

    def first_call(identity: Identity) -> None:
        linking = Linking(container.linking.links, container.clock, LinkCache())
        start.wait()
        seen[identity.sub] = linking.resolve(identity).provider_id

    threads = [threading.Thread(target=first_call, args=(u,)) for u in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(seen.values()).count(old["id"]) == 1
    for identity in users:
        if seen[identity.sub] != old["id"]:
            assert seen[identity.sub] == identity.own_provider_id


def test_an_access_token_first_does_not_keep_the_id_token_from_claiming(
    http: Any, container: bootstrap.Container
) -> None:
    subject, email = google_subject(), f"ana-{uuid.uuid4().hex[:8]}@example.com"
    old = imported(container, subject, email)
    login = json.loads(
        http.post("/dev/login", headers=JSON, body=json.dumps({"email": email, "google_sub": subject})).body
    )
    access = Api(http, anonymous=True)
    access.headers["Authorization"] = f"Bearer {login['access_token']}"
    assert access.get("/services").json["items"] == [], "no identities in an access token: its own"

    assert sign_in(http, email, subject).get("/me").json["id"] == old["id"]
    container.linking.cache.forget(_own(login["access_token"]))
    assert [s["id"] for s in access.get("/services").json["items"]] == [old["service"]], "linked now"


def test_a_call_costs_one_getitem_for_the_link_and_none_once_it_is_cached(
    http: Any, container: bootstrap.Container
) -> None:
    subject, email = google_subject(), f"ana-{uuid.uuid4().hex[:8]}@example.com"
    imported(container, subject, email)
    ana = sign_in(http, email, subject)
    assert ana.get("/me").status == 200  # the claim
    container.linking.cache.forget(_own(ana.headers["Authorization"].removeprefix("Bearer ")))

    with counting() as first:
        assert ana.get("/services").status == 200
    with counting() as cached:
        assert ana.get("/services").status == 200
    assert first.operations == ["GetItem", "Query"], "the link, then the route's own read"
    assert cached.operations == ["Query"]


def _sub(api: Api) -> str:
    return str(_claims(api.headers["Authorization"].removeprefix("Bearer "))["sub"])


def _own(token: str) -> str:
    return Identity(sub=_claims(token)["sub"], email=None, name=None, token_use="id").own_provider_id


def _claims(token: str) -> dict[str, Any]:
    claims: dict[str, Any] = jwt.decode(token, options={"verify_signature": False})
    return claims
