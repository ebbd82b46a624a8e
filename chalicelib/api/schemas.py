"""Request and response models (pydantic): what routes validate with."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, EmailStr, Field


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class DevLoginRequest(Strict):
    email: EmailStr
    name: str = Field(default="", max_length=100)
