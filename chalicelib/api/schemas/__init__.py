"""Request and response models (pydantic): what routes validate with, and the source of /openapi.json.

Routes name their models in ``chalicelib.api.contract.Operation``; every such name is exported here.
"""

from __future__ import annotations

from chalicelib.api.schemas.account import AccountDelete, ErasureOut, ExportQuery, ProviderExport
from chalicelib.api.schemas.appointments import (
    AppointmentCreate,
    AppointmentOut,
    AppointmentPage,
    AppointmentPatch,
    AppointmentsQuery,
    ProviderCancel,
    ProviderReschedule,
)
from chalicelib.api.schemas.availability import (
    AvailabilityOut,
    AvailabilityPut,
    OverrideOut,
    OverridePage,
    OverridePut,
    OverrideRangeQuery,
    ServiceAvailabilityOut,
    TimeOffCreate,
    TimeOffList,
    TimeOffOut,
)
from chalicelib.api.schemas.base import ErrorResponse, ListQuery, Strict
from chalicelib.api.schemas.booking import (
    BookingCreate,
    BookingOut,
    ChallengeOut,
    ClientCancel,
    ClientReschedule,
    ManagedBookingOut,
    ManageQuery,
    SlotOut,
    SlotsOut,
    SlotsQuery,
)
from chalicelib.api.schemas.calendars import CalendarFeedOut
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
from chalicelib.api.schemas.clients import (
    ClientAppointmentOut,
    ClientAppointmentPage,
    ClientDetailOut,
    ClientOut,
    ClientPage,
    ClientPatch,
    ClientQuery,
)
from chalicelib.api.schemas.integrations import (
    ApiKeyCreate,
    ApiKeyCreated,
    ApiKeyList,
    ApiKeyOut,
    AppointmentsExportQuery,
    ClientRecordOut,
    ClientsExportQuery,
)
from chalicelib.api.schemas.ops import HealthResponse, JwksResponse, WebConfigOut
from chalicelib.api.schemas.provider import DevLoginRequest, ProviderOut, ProviderPatch, TokenResponse
from chalicelib.api.schemas.public import PublicPageOut, PublicPageQuery, PublicService

__all__ = [
    "AccountDelete",
    "ApiKeyCreate",
    "ApiKeyCreated",
    "ApiKeyList",
    "ApiKeyOut",
    "AppointmentCreate",
    "AppointmentOut",
    "AppointmentPage",
    "AppointmentPatch",
    "AppointmentsExportQuery",
    "AppointmentsQuery",
    "AvailabilityOut",
    "AvailabilityPut",
    "BookingCreate",
    "BookingOut",
    "CalendarFeedOut",
    "CategoryCreate",
    "CategoryOut",
    "CategoryPage",
    "CategoryPatch",
    "ChallengeOut",
    "ClientAppointmentOut",
    "ClientAppointmentPage",
    "ClientCancel",
    "ClientDetailOut",
    "ClientOut",
    "ClientPage",
    "ClientPatch",
    "ClientQuery",
    "ClientRecordOut",
    "ClientReschedule",
    "ClientsExportQuery",
    "DevLoginRequest",
    "ErasureOut",
    "ErrorResponse",
    "ExportQuery",
    "HealthResponse",
    "JwksResponse",
    "ListQuery",
    "ManageQuery",
    "ManagedBookingOut",
    "OverrideOut",
    "OverridePage",
    "OverridePut",
    "OverrideRangeQuery",
    "ProviderCancel",
    "ProviderExport",
    "ProviderOut",
    "ProviderPatch",
    "ProviderReschedule",
    "PublicPageOut",
    "PublicPageQuery",
    "PublicService",
    "ServiceAvailabilityOut",
    "ServiceCreate",
    "ServiceOut",
    "ServicePage",
    "ServicePatch",
    "SlotOut",
    "SlotsOut",
    "SlotsQuery",
    "Strict",
    "TimeOffCreate",
    "TimeOffList",
    "TimeOffOut",
    "TokenResponse",
    "WebConfigOut",
]
