"""What the rest of the app knows about the person behind a request."""

from __future__ import annotations

from dataclasses import dataclass

from models.accounts import Role, User


@dataclass(frozen=True, slots=True)
class Viewer:
    """A signed-in user, reduced to what handlers need to authorize (never the table row)."""

    id: int
    name: str
    email: str
    role: str
    is_seller: bool
    email_verified: bool
    avatar_file: str

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN.value

    @property
    def is_moderator(self) -> bool:
        return self.role in (Role.ADMIN.value, Role.MODERATOR.value)

    def has_role(self, role: str) -> bool:
        """Admins hold every role; moderators hold the moderator role."""
        if role == Role.ADMIN.value:
            return self.is_admin
        if role == Role.MODERATOR.value:
            return self.is_moderator
        return True

    @classmethod
    def of(cls, user: User, *, is_seller: bool) -> Viewer:
        assert user.id is not None
        return cls(
            id=user.id,
            name=user.name,
            email=user.email,
            role=user.role,
            is_seller=is_seller,
            email_verified=user.email_verified_at is not None,
            avatar_file=user.avatar_file,
        )
