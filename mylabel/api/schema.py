"""OpenAPI post-processing: every operation documents the shared error shape.

Views declare their success bodies and any specific errors (409 on bookings, 413 on uploads)
with ``@extend_schema``; the errors any operation may answer are added here once.
"""

from typing import Any

ERROR_SCHEMA = {
    "type": "object",
    "description": "Every error the API returns has this shape.",
    "properties": {
        "detail": {"type": "string", "description": "A sentence for a person."},
        "code": {"type": "string", "description": "A stable machine-readable code."},
        "fields": {
            "type": "object",
            "description": "Messages per input field (dotted for nested fields); {} if none.",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
    },
    "required": ["detail", "code", "fields"],
}
ERROR_REF = {"$ref": "#/components/schemas/Error"}

COMMON_ERRORS = {
    "400": "Invalid input (malformed JSON, wrong types, unknown or invalid values).",
    "401": "Missing, invalid, expired or revoked token.",
    "403": "Signed in, but not allowed to do this.",
    "404": "No such object, or it is not visible to you.",
    "413": "The request body is too large.",
    "429": "Too many requests; retry after the number of seconds in `Retry-After`.",
}
# Only operations that take a body can be sent one of the wrong type.
BODY_ERRORS = {"415": "The body's Content-Type is not one this operation accepts."}
HTTP_METHODS = {"get", "put", "patch", "post", "delete"}
# Public reads (declared with ``auth=[]``) still read a token or session when one is sent (an
# invalid token is a 401 there too), so their credentials are documented as optional.
OPTIONAL_AUTH: list[dict[str, list[str]]] = [{"tokenAuth": []}, {"cookieAuth": []}, {}]


def add_error_responses(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            if method not in HTTP_METHODS:
                continue
            if method == "get" and not operation.get("security"):
                operation["security"] = OPTIONAL_AUTH
            responses = operation.setdefault("responses", {})
            errors = COMMON_ERRORS | (BODY_ERRORS if "requestBody" in operation else {})
            for status, description in errors.items():
                responses.setdefault(
                    status,
                    {
                        "description": description,
                        "content": {"application/json": {"schema": ERROR_REF}},
                    },
                )
    return result
