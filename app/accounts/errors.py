"""Errors of the accounts capability (message keys live in the locale catalogues)."""

from app.core.errors import MihanError


class AccountError(MihanError):
    """An anticipated accounts failure: bad input, taken e-mail, wrong credentials, throttling."""


class NotAuthenticated(AccountError):
    """The caller has no valid session."""

    def __init__(self) -> None:
        super().__init__("auth.sign_in_required")


class NotAuthorized(AccountError):
    """The caller's role does not allow the action."""

    def __init__(self) -> None:
        super().__init__("auth.forbidden")
