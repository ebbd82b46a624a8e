"""Answers to a service's intake questions: checked at booking, kept on the appointment.

The appointment keeps each answer with the question's label as it was asked, so what the
provider reads later still says what the client was asked, whatever the service says now.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from chalicelib.domain.catalog import MAX_LONG_ANSWER, MAX_TEXT_ANSWER, Question
from chalicelib.domain.errors import ValidationError

Problem = dict[str, str]
LIMITS = {"text": MAX_TEXT_ANSWER, "long_text": MAX_LONG_ANSWER}


@dataclass(frozen=True)
class Answer:
    key: str
    label: str
    value: str | bool  # text, the option chosen, or a checkbox's state


def _problem(key: str, code: str, message: str) -> Problem:
    return {"field": f"answers.{key}", "code": code, "message": message}


def _value_problem(question: Question, value: Any) -> Problem | None:
    key = question.key
    if question.type == "checkbox":
        return None if isinstance(value, bool) else _problem(key, "bool_type", "must be true or false")
    if not isinstance(value, str):
        return _problem(key, "string_type", "must be text")
    if question.type == "choice":
        if value not in question.options:
            return _problem(key, "unknown_option", "must be one of the question's options")
        return None
    limit = LIMITS[question.type]
    if len(value) > limit:
        return _problem(key, "string_too_long", f"at most {limit} characters")
    return None


def _given(value: Any) -> bool:
    """Whether a client answered: text that is not blank, a choice, a ticked checkbox."""
    if isinstance(value, str):
        return bool(value.strip())
    return value is True


def check_answers(
    questions: Sequence[Question], answers: Mapping[str, Any], required: bool = True
) -> tuple[Answer, ...]:
    """The answers as the appointment keeps them, in the questions' order; a ValidationError
    names each problem as ``answers.<key>``. ``required=False`` (the provider's own bookings)
    lets required questions go unanswered; types, options and lengths hold for everybody."""
    known = {q.key: q for q in questions}
    problems = [
        _problem(key, "unknown_question", "this service asks no such question")
        for key in sorted(answers)
        if key not in known
    ]
    kept: list[Answer] = []
    for question in questions:
        value = answers.get(question.key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required and question.required:
                problems.append(_problem(question.key, "required", "an answer is required"))
            continue
        problem = _value_problem(question, value)
        if problem is None and required and question.required and not _given(value):
            problem = _problem(question.key, "required", "must be ticked")
        if problem is not None:
            problems.append(problem)
            continue
        kept.append(Answer(question.key, question.label, value.strip() if isinstance(value, str) else value))
    if problems:
        raise ValidationError("Some answers are missing or not valid.", problems)
    return tuple(kept)
