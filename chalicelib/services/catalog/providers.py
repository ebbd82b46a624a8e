"""Use cases around the provider profile."""

from __future__ import annotations

from chalicelib.domain.errors import NotFoundError, SignUpNotAllowedError, SlugTakenError
from chalicelib.domain.provider import MAX_PROVIDER_NAME, RESERVED_SLUGS, Identity, Provider
from chalicelib.domain.signup import SignUpPolicy
from chalicelib.observability import logger
from chalicelib.services.catalog.ports import ProviderRepository
from chalicelib.services.shared import Changes, Clock


def get_or_create_me(identity: Identity, repo: ProviderRepository, clock: Clock) -> Provider:
    """The caller's profile, created from the verified claims on first call."""
    existing = repo.get_provider(identity.provider_id)
    if existing is not None:
        return existing
    if identity.linked_provider_id is not None:
        # The linked provider was made by someone else (the import): never from this token. It is
        # missing only while the import has not written it yet, or just after it was deleted.
        raise NotFoundError("This sign-in's provider is not there; try again in a minute.")
    if not identity.may_sign_up:
        raise SignUpNotAllowedError("This address may not create a provider account here.")
    now = clock.stamp()
    fallback_name = (identity.email or "").split("@")[0] or "Provider"
    # The same length rule as PATCH /me: a longer name from the token is cut, not stored whole.
    name = " ".join((identity.name or fallback_name).split())[:MAX_PROVIDER_NAME].strip() or "Provider"
    provider = Provider(
        id=identity.provider_id,
        email=identity.email,
        name=name,
        created_at=now,
        updated_at=now,
    )
    if repo.create_provider(provider):
        return provider
    # Lost a race with a concurrent first call: the stored profile wins.
    stored = repo.get_provider(identity.provider_id)
    if stored is None:
        raise NotFoundError("Provider profile could not be read back.")
    return stored


def update_me(identity: Identity, changes: Changes, repo: ProviderRepository, clock: Clock) -> Provider:
    """Apply validated profile changes. A new slug is claimed and the old one released at once."""
    current = get_or_create_me(identity, repo, clock)
    fields = dict(changes)
    new_slug = fields.pop("slug", None)
    if new_slug in RESERVED_SLUGS:
        raise SlugTakenError(f"The slug '{new_slug}' is reserved.")
    if not fields and (new_slug is None or new_slug == current.slug):
        return current
    return repo.update_profile(current, fields, clock.stamp(), new_slug=new_slug)


def admit(policy: SignUpPolicy, email: str | None, trigger: str) -> None:
    """Before a user exists (Cognito's pre-sign-up): SignUpNotAllowedError for anyone the policy
    leaves out. Logs carry the trigger and the verdict, never the address."""
    allowed = policy.allows(email)
    logger.info("Sign-up checked", extra={"trigger": trigger, "allowed": allowed})
    if not allowed:
        raise SignUpNotAllowedError("This address may not create a provider account here.")
