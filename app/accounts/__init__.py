"""Accounts: sign-up, sessions, verification and reset by mail, throttling, profiles, roles."""

from app.accounts.errors import AccountError, NotAuthenticated, NotAuthorized
from app.accounts.inputs import (
    EmailInput,
    LogInInput,
    PasswordChangeInput,
    ProfileInput,
    ResetInput,
    SignUpInput,
    parse,
)
from app.accounts.passwords import change_password, request_reset, reset_password
from app.accounts.profile import (
    ProfileView,
    VatStatus,
    become_seller,
    get_profile,
    get_vat_status,
    set_avatar,
    set_vat_registration,
    update_profile,
)
from app.accounts.registration import create_admin, send_verification, sign_up, verify_email
from app.accounts.sessions import SignIn, log_in, log_out, resolve, revoke_all, start_session
from app.accounts.users import count_users, get_user_by_email
from app.accounts.viewer import Viewer

__all__ = [
    "AccountError",
    "EmailInput",
    "LogInInput",
    "NotAuthenticated",
    "NotAuthorized",
    "PasswordChangeInput",
    "ProfileInput",
    "ProfileView",
    "ResetInput",
    "SignIn",
    "SignUpInput",
    "VatStatus",
    "Viewer",
    "become_seller",
    "change_password",
    "count_users",
    "create_admin",
    "get_profile",
    "get_user_by_email",
    "get_vat_status",
    "log_in",
    "log_out",
    "parse",
    "request_reset",
    "reset_password",
    "resolve",
    "revoke_all",
    "send_verification",
    "set_avatar",
    "set_vat_registration",
    "sign_up",
    "start_session",
    "update_profile",
    "verify_email",
]
