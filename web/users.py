"""Flask-Login's view of an account: service.accounts.Account with UserMixin's session interface."""

from __future__ import annotations

from dataclasses import dataclass

from flask_login import UserMixin

from service.accounts import Account


@dataclass
class User(Account, UserMixin):
    """A logged-in user (what `current_user` is)."""

    @classmethod
    def of(cls, account: Account) -> User:
        """The web's user of an account read from the store."""
        return cls(account.username, account.grants, account.active, account.session_version)

    def get_id(self) -> str:
        """Flask-Login's id."""
        return self.username

    @property
    def is_active(self) -> bool:
        """A disabled account cannot log in or use a session."""
        return self.active
