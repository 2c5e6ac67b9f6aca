from typing import Any


def assert_error(
    response: Any, status: int, code: str | None = None, fields: list[str] | None = None
) -> dict[str, Any]:
    """The test client's response is an error in the API's one shape, with this status (and
    code, fields)."""
    assert response.status_code == status, (response.status_code, response.content)
    body = response.json()
    assert set(body) == {"detail", "code", "fields"}, body
    assert isinstance(body["detail"], str)
    assert body["detail"]
    if code is not None:
        assert body["code"] == code, body
    if fields is not None:
        assert sorted(body["fields"]) == sorted(fields), body
    return body
