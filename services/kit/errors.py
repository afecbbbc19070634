"""Errors a use-case raises; the web layer turns them into a clear 4xx."""


class DomainError(Exception):
    """A rule refused the request; nothing was changed."""

    status_code = 409

    def __init__(self, code: str, message: str, retryable: bool = False) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        # A race (someone changed the same record meanwhile): trying again may succeed.
        self.retryable = retryable


class NotFound(DomainError):
    status_code = 404

    def __init__(self, what: str, ident: str) -> None:
        super().__init__("not_found", f"{what} {ident} not found")


class InvalidInput(DomainError):
    status_code = 400
