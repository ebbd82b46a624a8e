"""Request and response models (pydantic): what routes validate with, and the source of /openapi.json.

Routes name their models in ``chalicelib.api.contract.Operation``; every such name is exported here.
"""

from __future__ import annotations

from chalicelib.api.schemas.availability import (
    AvailabilityOut,
    AvailabilityPut,
    OverrideOut,
    OverridePage,
    OverridePut,
    OverrideRangeQuery,
)
from chalicelib.api.schemas.base import ErrorResponse, ListQuery, Strict
from chalicelib.api.schemas.catalog import (
    CategoryCreate,
    CategoryOut,
    CategoryPage,
    CategoryPatch,
    ServiceCreate,
    ServiceOut,
    ServicePage,
    ServicePatch,
)
from chalicelib.api.schemas.ops import HealthResponse, JwksResponse, WebConfigOut
from chalicelib.api.schemas.provider import DevLoginRequest, ProviderOut, ProviderPatch, TokenResponse
from chalicelib.api.schemas.public import PublicPageOut

__all__ = [
    "AvailabilityOut",
    "AvailabilityPut",
    "CategoryCreate",
    "CategoryOut",
    "CategoryPage",
    "CategoryPatch",
    "DevLoginRequest",
    "ErrorResponse",
    "HealthResponse",
    "JwksResponse",
    "ListQuery",
    "OverrideOut",
    "OverridePage",
    "OverridePut",
    "OverrideRangeQuery",
    "ProviderOut",
    "ProviderPatch",
    "PublicPageOut",
    "ServiceCreate",
    "ServiceOut",
    "ServicePage",
    "ServicePatch",
    "Strict",
    "TokenResponse",
    "WebConfigOut",
]
