"""Query parameter conventions: unknown ones are refused on every route, and range filters are
named and checked one way.

A misspelt or renamed filter that is silently ignored returns the unfiltered list, which a front end
shows as if it were the answer. So each request's query parameters are checked against what its
route declares (its own, and those of every dependency it uses): any other is a 422 problem whose
`errors[]` name each one (`loc: ["query", name]`, code `unknown_parameter`). The app installs the
check as an application-wide dependency (app.main), so no router repeats it. It runs before the
route's own parameters are validated, and a route's declared names are read once.

Range filters are `<field>_from` and `<field>_to` (a unit such as `_fen` last: `price_from_fen`),
both ends included, and an inverted range is a 422 `inverted_range` naming both (`check_range`).
"""

from __future__ import annotations

from datetime import date
from typing import Any, TypeVar

from fastapi import Request

from app.core.errors import ValidationFailed
from app.core.i18n import msg

UNKNOWN_PARAMETER = "unknown_parameter"

# Kept on the route object: the names it declares (None: not checked), read on its first request
# with a query string.
_DECLARED = "_declared_query_parameters"
_UNREAD = object()


async def refuse_unknown_query_parameters(request: Request) -> None:
    """The dependency. It checks the operations of the OpenAPI document and the hidden routes that
    take their parameters (the anonymous twins of the listing lists); hidden routes that declare no
    query parameter are no operation of the API and are left alone: the documentation's pages (Swagger
    UI's OAuth2 redirect is called with the authorization server's parameters) and the 405 answered
    to other methods on an export's path."""
    if not request.scope.get("query_string"):
        return
    route = request.scope.get("route")
    allowed = getattr(route, _DECLARED, _UNREAD)
    if allowed is _UNREAD:
        allowed = _checked_names(route)
        setattr(route, _DECLARED, allowed)
    if allowed is None:
        return
    assert isinstance(allowed, frozenset)  # noqa: S101 - what _checked_names returns
    unknown = [name for name in dict.fromkeys(request.query_params.keys()) if name not in allowed]
    if unknown:
        raise ValidationFailed(
            msg(
                "Unknown query parameter: {names}; this operation takes: {allowed}",
                names=", ".join(unknown),
                allowed=", ".join(sorted(allowed)) or "-",
            ),
            fields=unknown,
            location="query",
            error_code=UNKNOWN_PARAMETER,
        )


def _checked_names(route: Any) -> frozenset[str] | None:
    """The query names `route` takes, or None for a route whose query is not checked."""
    dependant = getattr(route, "dependant", None)
    if dependant is None:
        return None
    names = _query_names(dependant)
    if not names and not getattr(route, "include_in_schema", True):
        return None
    return names


def _query_names(dependant: Any) -> frozenset[str]:
    """The query parameters of a route's dependant and of all its dependencies, by their aliases."""
    names: set[str] = set()
    pending = [dependant]
    while pending:
        current = pending.pop()
        names.update(field.alias for field in current.query_params)
        pending.extend(current.dependencies)
    return frozenset(names)


INVERTED_RANGE = "inverted_range"
Bound = TypeVar("Bound", int, date)


def check_range(low_name: str, low: Bound | None, high_name: str, high: Bound | None) -> None:
    """A range filter `<field>_from`/`<field>_to` (both ends included) whose from is past its to is a
    422 naming both parameters, for every list alike: it can match nothing, and an empty page would
    look like an answer."""
    if low is not None and high is not None and low > high:
        raise ValidationFailed(
            msg("{low} must not be greater than {high}", low=low_name, high=high_name),
            fields=[low_name, high_name],
            location="query",
            error_code=INVERTED_RANGE,
        )
