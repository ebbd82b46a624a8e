"""What a service says beyond its name and price: where it takes place, what it asks, its rules."""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, StrictBool, StringConstraints, WithJsonSchema
from pydantic_core import PydanticCustomError

from chalicelib.api.schemas.base import Strict
from chalicelib.domain import catalog as rules
from chalicelib.domain.booking.answers import Answer
from chalicelib.domain.catalog import Location, Question

LocationType = Literal["address", "phone", "video", "note"]
QuestionType = Literal["text", "long_text", "choice", "checkbox"]
Visibility = Literal["public", "unlisted", "hidden"]
QuestionKey = Annotated[
    str, StringConstraints(pattern=rules.QUESTION_KEY_PATTERN), Field(examples=["health"])
]
Label = Annotated[str, StringConstraints(min_length=1, max_length=rules.MAX_LABEL)]
Option = Annotated[str, StringConstraints(min_length=1, max_length=rules.MAX_OPTION)]


class LocationIn(Strict):
    type: LocationType = Field(
        description="address and note are public; phone and video go to booked clients only."
    )
    value: Annotated[str, StringConstraints(min_length=1, max_length=rules.MAX_LOCATION)]

    def domain(self) -> Location:
        return Location(self.type, self.value)


class LocationOut(Strict):
    type: str
    value: str

    @classmethod
    def of(cls, location: Location | None) -> LocationOut | None:
        return None if location is None else cls(type=location.type, value=location.value)


class PublicLocation(Strict):
    type: str
    value: str | None = Field(description="null for a phone number or a video link: given once booked.")

    @classmethod
    def of(cls, location: Location | None) -> PublicLocation | None:
        if location is None:
            return None
        return cls(type=location.type, value=location.value if location.public else None)


class QuestionIn(Strict):
    key: QuestionKey
    label: Label
    type: QuestionType
    required: StrictBool = False
    options: Annotated[list[Option], Field(max_length=rules.MAX_OPTIONS)] = Field(
        default_factory=list,
        description="The choices of a `choice` question (2 or more); none for the others.",
    )

    def domain(self) -> Question:
        return Question(self.key, self.label, self.type, self.required, tuple(self.options))


class QuestionOut(Strict):
    key: str
    label: str
    type: str
    required: bool
    options: list[str]

    @classmethod
    def of(cls, q: Question) -> QuestionOut:
        return cls(key=q.key, label=q.label, type=q.type, required=q.required, options=list(q.options))


Questions = Annotated[list[QuestionIn], Field(max_length=rules.MAX_QUESTIONS)]


def _answers(value: Any) -> Any:
    """Bounded before anything reads it: an object of at most 10 entries keyed like questions.
    Each answer's type, option and length are checked against the service's questions."""
    if not isinstance(value, dict):
        raise PydanticCustomError("dict_type", "must be an object of question key: answer")
    if len(value) > rules.MAX_QUESTIONS:
        raise PydanticCustomError("too_many_answers", f"at most {rules.MAX_QUESTIONS} answers")
    if any(not isinstance(k, str) or not re.fullmatch(rules.QUESTION_KEY_PATTERN, k) for k in value):
        raise PydanticCustomError("invalid_key", "keys are question keys: a-z, 0-9 and _, up to 40")
    return value


ANSWER_VALUE = {"anyOf": [{"type": "string", "maxLength": rules.MAX_LONG_ANSWER}, {"type": "boolean"}]}
AnswersIn = Annotated[
    dict[str, Any],
    BeforeValidator(_answers),
    WithJsonSchema(
        {
            "type": "object",
            "maxProperties": rules.MAX_QUESTIONS,
            "propertyNames": {"pattern": rules.QUESTION_KEY_PATTERN},
            "additionalProperties": ANSWER_VALUE,
            "description": "question key -> answer: text, the option chosen, or true/false for a checkbox.",
        }
    ),
]


class AnswerOut(Strict):
    key: str
    label: str = Field(description="The question as it was asked when booking.")
    value: str | bool

    @classmethod
    def of(cls, answer: Answer) -> AnswerOut:
        return cls(key=answer.key, label=answer.label, value=answer.value)
