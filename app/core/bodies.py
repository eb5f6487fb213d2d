"""Request bodies an operation may go without.

Declared `Annotated[Model, Body(default_factory=Model)]`, not `Model | None = None`: the document
then says "an optional body of this schema" (requestBody not required, schema a plain $ref), which
client generators turn into an argument they leave out. The nullable union made
openapi-python-client send its UNSET marker as the JSON body and crash when called with defaults.
An absent body is an empty one: the endpoint always gets a model.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Body

from app.core.schemas import EmptyBody

# Actions whose outcome the server decides: no body, or one naming no field (any field is a 422).
NoFieldsBody = Annotated[EmptyBody, Body(default_factory=EmptyBody)]
