"""The base of every item of the one table (generic keys, a type, an optional TTL, the indexes) and
the one connection every item and transaction goes through."""

from __future__ import annotations

from functools import cache
from typing import Any

from pynamodb.attributes import Attribute, DiscriminatorAttribute, NumberAttribute, UnicodeAttribute
from pynamodb.connection import Connection
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model

from chalicelib.adapters.dynamo.table import GSI1, GSI2, TTL_ATTRIBUTE


class Gsi1(GlobalSecondaryIndex["Item"]):  # type: ignore[no-untyped-call]
    class Meta:
        index_name = GSI1
        projection = AllProjection()

    GSI1PK = UnicodeAttribute(hash_key=True)
    GSI1SK = UnicodeAttribute(range_key=True)


class Gsi2(GlobalSecondaryIndex["Item"]):  # type: ignore[no-untyped-call]
    """A client's own appointments, by start: ``PROVIDER#<pid>#CLIENT#<cid>`` / ``<start>#<id>``."""

    class Meta:
        index_name = GSI2
        projection = AllProjection()

    GSI2PK = UnicodeAttribute(hash_key=True)
    GSI2SK = UnicodeAttribute(range_key=True)


class Item(Model):
    """Every item of the table: generic keys, a type, an optional TTL."""

    class Meta:
        table_name = "unbound"
        region = "us-east-1"
        host: str | None = None
        # Replaced by bind() from the settings (Settings.dynamodb_*): a request must answer well
        # within API Gateway's 29 s, so one call waits at most about 2 x 2 s before a 503.
        connect_timeout_seconds = 1.0
        read_timeout_seconds = 2.0
        max_retry_attempts = 1
        max_pool_connections = 50

    PK = UnicodeAttribute(hash_key=True)
    SK = UnicodeAttribute(range_key=True)
    type = DiscriminatorAttribute()
    GSI1PK = UnicodeAttribute(null=True)
    GSI1SK = UnicodeAttribute(null=True)
    GSI2PK = UnicodeAttribute(null=True)
    GSI2SK = UnicodeAttribute(null=True)
    expires_at = NumberAttribute(null=True, attr_name=TTL_ATTRIBUTE)
    gsi1 = Gsi1()
    gsi2 = Gsi2()

    # What pynamodb's AttributeContainer does, less a descriptor call per attribute: an item's
    # values live in ``attribute_values`` under their Python names, which is where the plain
    # ``Attribute.__set__`` puts them; an attribute whose class sets values its own way (a map,
    # the discriminator) still goes through it. A model is built for every item written, and the
    # import builds a few hundred thousand.
    def _set_defaults(self, _user_instantiated: bool = True) -> None:
        plain = _plain_names(type(self))
        values = self.attribute_values
        for name, default in _defaults(type(self), _user_instantiated):
            value = default() if callable(default) else default
            if value is None:
                continue
            if name in plain:
                values[name] = value
            else:
                setattr(self, name, value)

    def _set_attributes(self, **attributes: Attribute[Any]) -> None:
        plain = _plain_names(type(self))
        known = self.get_attributes()
        values = self.attribute_values
        for name, value in attributes.items():
            if name in plain:
                values[name] = value
            elif name in known:
                setattr(self, name, value)
            else:
                raise ValueError(f"Attribute {name} specified does not exist")


@cache
def _plain_names(cls: type[Item]) -> frozenset[str]:
    """The attributes of ``cls`` that store a value as given, under their own name."""
    return frozenset(
        name
        for name, attr in cls.get_attributes().items()
        if type(attr).__set__ is Attribute.__set__ and cls._dynamo_to_python_attr(attr.attr_name) == name
    )


@cache
def _defaults(cls: type[Item], user_instantiated: bool) -> tuple[tuple[str, Any], ...]:
    """The attributes of ``cls`` with a default (a value or a callable), as pynamodb picks it."""
    found = []
    for name, attr in cls.get_attributes().items():
        use_new = user_instantiated and attr.default_for_new is not None
        default = attr.default_for_new if use_new else attr.default
        if default is not None:
            found.append((name, default))
    return tuple(found)


def connection() -> Connection:
    """The connection every model uses (models.bind shares it); transactions go through it too."""
    return Item._get_connection().connection


def dynamodb_client() -> Any:
    """The botocore client behind every request (tests hook its events to count requests)."""
    return connection().client
