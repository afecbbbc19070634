"""Errors a use-case raises; the web layer turns them into a clear 4xx.

An error names what went wrong three ways: `code` is the broad kind a client branches on
(`invalid_transition`, `not_found`, ...); `key` is the exact case (e.g. `split_needs_preparing`),
the id of its message in the gateway's catalogs; `params` are the values the message names. The
English `message` is the template filled with the params, for logs and developers:

    DomainError("invalid_transition", "section {section_id} is {status}: cannot move to {to}",
                key="cannot_move", section_id=s.section_id, status=s.status, to=to)

Services never send translated text: the gateway translates `key` with `params`.
"""

from __future__ import annotations

from enum import Enum
from typing import Any

Param = str | int | list[str]


def _plain(value: Any) -> Param:
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, bool | int | str):
        return value
    if isinstance(value, list | tuple | set | frozenset):
        return [str(_plain(v)) for v in value]
    return str(value)


class DomainError(Exception):
    """A rule refused the request; nothing was changed."""

    status_code = 409

    def __init__(self, code: str, message: str, *, key: str | None = None,
                 retryable: bool = False, **params: Any) -> None:
        self.code = code
        self.key = key or code
        self.params: dict[str, Param] = {k: _plain(v) for k, v in params.items()}
        shown = {k: ", ".join(v) if isinstance(v, list) else v for k, v in self.params.items()}
        self.message = message.format(**shown) if params else message
        super().__init__(self.message)
        # A race (someone changed the same record meanwhile): trying again may succeed.
        self.retryable = retryable

    def why(self) -> dict[str, Any]:
        """What a record of this refusal keeps for the pages to translate."""
        return {"key": self.key, "params": self.params}

    def as_json(self) -> dict[str, Any]:
        return {"error": self.code, "message": self.message, "key": self.key,
                "params": self.params}


class NotFound(DomainError):
    status_code = 404

    def __init__(self, what: str, ident: str = "", *, message: str = "", key: str = "",
                 **params: Any) -> None:
        """`NotFound("order", order_id)`: "order X not found", key `order_not_found`. A thing
        named by more than one id gives its own message template, key and params."""
        if message:
            super().__init__("not_found", message, key=key, **params)
        else:
            super().__init__("not_found", f"{what} {{id}} not found",
                             key=key or f"{what.lower().replace(' ', '_')}_not_found", id=ident)


class InvalidInput(DomainError):
    status_code = 400
