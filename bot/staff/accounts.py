"""Staff accounts: creating them (the first admin from the CLI), signing in, listing."""
from __future__ import annotations

import re
from typing import List, Optional

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from bot.db import StaffUser, session_scope, utcnow
from bot.staff.passwords import check_strength, hash_password, verify_password

ROLES = ("reviewer", "admin")
USERNAME = re.compile(r"^[A-Za-z0-9._@-]{3,100}$")
# Verified against when the user name is unknown, so a wrong name takes as long as a
# wrong password (no telling which names exist from the timing).
_DUMMY_HASH = hash_password("not a real password, for timing only")


class AccountError(ValueError):
    """An account that cannot be created or changed as asked."""


def create_user(username: str, password: str, role: str = "reviewer",
                url: Optional[str] = None) -> StaffUser:
    username = (username or "").strip()
    if not USERNAME.match(username):
        raise AccountError("User names are 3-100 letters, digits or . _ @ -")
    if role not in ROLES:
        raise AccountError(f"Role must be one of {', '.join(ROLES)}")
    check_strength(password, username)
    try:
        with session_scope(url) as session:
            user = StaffUser(username=username, password_hash=hash_password(password), role=role)
            session.add(user)
            session.flush()
            return user
    except IntegrityError as error:
        raise AccountError(f"There is already a user '{username}'") from error


def authenticate(username: str, password: str, url: Optional[str] = None) -> Optional[StaffUser]:
    """The active user with this name and password, or None."""
    with session_scope(url) as session:
        user = session.execute(select(StaffUser).where(
            StaffUser.username == (username or "").strip())).scalar_one_or_none()
        if user is None or not user.active:
            verify_password(_DUMMY_HASH, password or "")
            return None
        matches, rehash = verify_password(user.password_hash, password or "")
        if not matches:
            return None
        if rehash:
            user.password_hash = hash_password(password)
        user.last_login_at = utcnow()
        return user


def get_user(user_id: int, url: Optional[str] = None) -> Optional[StaffUser]:
    with session_scope(url) as session:
        user = session.get(StaffUser, user_id)
        return user if user is not None and user.active else None


def list_users(url: Optional[str] = None) -> List[StaffUser]:
    with session_scope(url) as session:
        return list(session.execute(select(StaffUser).order_by(StaffUser.username)).scalars())


def set_active(user_id: int, active: bool, url: Optional[str] = None) -> StaffUser:
    with session_scope(url) as session:
        user = session.get(StaffUser, user_id)
        if user is None:
            raise AccountError("No such user")
        if not active and user.role == "admin":
            admins = session.execute(select(func.count()).select_from(StaffUser).where(
                StaffUser.role == "admin", StaffUser.active.is_(True))).scalar_one()
            if admins <= 1:
                raise AccountError("The last active admin cannot be turned off")
        user.active = active
        return user
