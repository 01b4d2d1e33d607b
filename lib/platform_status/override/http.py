"""The HTTP side of the operators' API, shared by its routes: responses, errors that name the field, the
request's id and caller, and the body as the platform passed it."""

from __future__ import annotations

import base64
import binascii
import re
import uuid
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError

from platform_status.override.web_event import HttpRequest

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,100}$")


def request_id_of(request: HttpRequest) -> str:
    given = request.headers.get("x-request-id", "")
    return given if _REQUEST_ID.match(given) else uuid.uuid4().hex


def caller_of(request: HttpRequest) -> str:
    return request.headers.get("x-forwarded-for", "")[:200]


class BadBody(Exception):
    """The body could not be read as the platform said it was encoded."""


def decoded_body(request: HttpRequest) -> bytes:
    if not request.body_is_base64:
        return request.body
    try:
        return base64.b64decode(request.body, validate=True)
    except (binascii.Error, ValueError):
        raise BadBody("body is not valid base64") from None


@dataclass(frozen=True)
class HttpResponse:
    status: int
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)


class FieldProblem(BaseModel):
    field: str
    message: str


class ErrorBody(BaseModel):
    error: str
    fields: list[FieldProblem] = []


def error_response(status: int, message: str, fields: list[FieldProblem] | None = None, **headers: str) -> HttpResponse:
    body = ErrorBody(error=message, fields=fields or []).model_dump()
    return HttpResponse(status, body, {key.replace("_", "-"): value for key, value in headers.items()})


def field_error(status: int, message: str, where: str, problem: str) -> HttpResponse:
    return error_response(status, message, [FieldProblem(field=where, message=problem)])


def rule_error(message: str, error: ValueError) -> HttpResponse:
    """A rule that needs the clock or the stored state, raised as ValueError("field: problem")."""
    where, _, problem = str(error).partition(": ")
    return field_error(422, message, where, problem)


def _field_problems(error: ValidationError) -> list[FieldProblem]:
    problems = []
    for item in error.errors(include_input=False, include_url=False):
        message = item["msg"].removeprefix("Value error, ")
        where = ".".join(str(part) for part in item["loc"])
        if not where and ": " in message:  # whole-body rules name their field first ("expires_at: ...")
            where, message = message.split(": ", 1)
        problems.append(FieldProblem(field=where or "body", message=message))
    return problems


def invalid_body(error: ValidationError) -> HttpResponse:
    if any(item["type"] == "json_invalid" for item in error.errors()):
        return error_response(400, "body is not valid JSON")
    return error_response(422, "invalid request body", _field_problems(error))
