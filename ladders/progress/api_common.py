"""What the progression endpoints share: small schemas, lookups that answer in the API's error
shape, and the translation of a service's ValidationError into a 422 with the field at fault."""

from typing import Annotated, Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Schema
from ninja.pagination import CursorPagination
from pydantic import Field, StringConstraints

from ladders.accounts.permissions import is_member
from ladders.api.errors import ApiError, forbidden, not_found
from ladders.api.pagination import Cursor
from ladders.api.schemas import example
from ladders.frameworks.model import KEY_PATTERN
from ladders.org.models import Person

PERSON_EXAMPLE = {"uuid": "0b5e4a52-3c1f-4c0e-9a55-1d2a7b9f6e10", "name": "Aiko Brennan"}


SkillKey = Annotated[
    str,
    StringConstraints(pattern=KEY_PATTERN, min_length=1, max_length=64),
    Field(description="A skill's key in the framework, e.g. `testing`."),
]


class PersonRef(Schema):
    model_config = example(**PERSON_EXAMPLE)
    uuid: UUID
    name: str


class CountOut(Schema):
    model_config = example(count=12)
    count: int = Field(description="How many match, counting only what you may see.")


def invalid(error: ValidationError, *, prefix: str = "body") -> ApiError:
    """A service's refusal as 422, each problem under `body.<field>` (`body` when it is about
    the whole request)."""
    fields: dict[str, str] = {}
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            key = prefix if field == "__all__" else f"{prefix}.{field}"
            fields[key] = " ".join(messages)
    else:
        fields[prefix] = " ".join(error.messages)
    return ApiError(422, "invalid", " ".join(fields.values()), fields)


def require_member(request: HttpRequest) -> None:
    """Lists and writes of organisation data: outsiders are refused as the pages refuse them."""
    if not is_member(request.user):
        raise forbidden("Only people in the organisation may do this.")


def person_or_404(uuid: UUID) -> Person:
    person = Person.objects.filter(uuid=uuid).select_related("team", "manager").first()
    if person is None:
        raise not_found("person")
    return person


def page(
    request: HttpRequest,
    queryset: Any,
    *,
    ordering: tuple[str, ...],
    cursor: str | None,
    page_size: int | None,
) -> tuple[list[Any], str | None, str | None]:
    """One page of `queryset` by the API's cursor, for lists whose rows are built per page
    (so the batch reads behind them only cover the rows shown)."""
    paginator = Cursor(ordering=ordering)
    found = paginator.paginate_queryset(
        queryset,
        CursorPagination.Input(page_size=page_size, cursor=cursor),
        request,
    )
    return found["results"], found["next"], found["previous"]
