"""Seller and buyer accounts (the gateway's own database): hashed passwords, log-in throttling and
server-side sessions.

The session cookie (signed by SessionMiddleware) holds a random session id; the session itself
lives in the `sessions` collection, so logging out, an expired session or a deleted account ends
it on every gateway replica at once. `resolve_session` looks it up once per request.
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from fastapi import HTTPException, Request, Response
from pydantic import BaseModel, Field

hasher = PasswordHasher()
# Verified against when the account does not exist, so a wrong id costs what a wrong password
# costs: the answer's timing does not tell which ids exist.
NO_ACCOUNT_HASH = hasher.hash(secrets.token_hex(16))


class User(BaseModel):
    user_id: str
    role: str  # "seller" | "buyer"
    name: str
    phone: str = ""
    email: str = ""


class Login(BaseModel):
    user_id: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=200)


async def password_matches(password_hash: str, password: str) -> bool:
    """argon2 verification in a worker thread: it takes ~50 ms of CPU and must not stall the
    event loop (every other request) while it runs."""

    def check() -> bool:
        try:
            return hasher.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    return await asyncio.to_thread(check)


def _user(doc: dict[str, Any]) -> User:
    return User(user_id=doc["_id"], role=doc["role"], name=doc["name"],
                phone=doc.get("phone", ""), email=doc.get("email", ""))


class TooManyAttempts(HTTPException):
    def __init__(self, retry_after: int) -> None:
        self.minutes = minutes = max(1, -(-retry_after // 60))
        super().__init__(429, {"error": "too_many_attempts",
                               "message": f"too many failed log-ins: try again in {minutes} "
                                          "minutes"},
                         headers={"Retry-After": str(retry_after)})


class Throttle:
    """Failed attempts counted per key (an account, an address) in fixed windows, in MongoDB so
    every gateway replica counts together. Past the limit a key is refused until its window
    ends, even with the right password."""

    def __init__(self, collection: Any, window: timedelta, now: Callable[[], datetime]) -> None:
        self.failures = collection
        self.window = window
        self.now = now

    async def check(self, limits: dict[str, int]) -> None:
        now = self.now()
        async for doc in self.failures.find({"_id": {"$in": list(limits)}}):
            ends = doc["window_ends"]  # tz-aware: the gateway's client reads with tz_aware=True
            if ends > now and doc["count"] >= limits[doc["_id"]]:
                raise TooManyAttempts(int((ends - now).total_seconds()) + 1)

    async def failed(self, keys: list[str]) -> None:
        now = self.now()
        for key in keys:
            # A window that has ended starts again at 1; else the count grows.
            if await self.failures.find_one_and_update(
                    {"_id": key, "window_ends": {"$gt": now}}, {"$inc": {"count": 1}}) is None:
                await self.failures.replace_one(
                    {"_id": key}, {"count": 1, "window_ends": now + self.window}, upsert=True)

    async def forget(self, key: str) -> None:
        await self.failures.delete_one({"_id": key})


class Accounts:
    def __init__(self, db: Any, *, account_limit: int = 5, address_limit: int = 30,
                 window: timedelta = timedelta(minutes=15),
                 session_idle: timedelta = timedelta(hours=12),
                 now: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self.users = db.users
        self.sessions = db.sessions
        self.throttle = Throttle(db.login_failures, window, now)
        self.account_limit = account_limit
        self.address_limit = address_limit
        self.session_idle = session_idle
        self.now = now

    async def create(self, user: User, password: str) -> None:
        await self.users.replace_one(
            {"_id": user.user_id},
            {"_id": user.user_id, **user.model_dump(exclude={"user_id"}),
             "password_hash": await asyncio.to_thread(hasher.hash, password)},
            upsert=True,
        )

    def limits(self, subject: str, address: str) -> dict[str, int]:
        """Throttle keys of one guessing target (an account, a guest order) and the address."""
        keys = {subject: self.account_limit}
        if address:
            keys[f"address:{address}"] = self.address_limit
        return keys

    async def verify(self, user_id: str, password: str, role: str,
                     address: str = "") -> User | None:
        """The account if the password is right. Throttled per account and per address: past
        the limits this raises TooManyAttempts without looking at the password."""
        keys = self.limits(f"account:{role}:{user_id}", address)
        await self.throttle.check(keys)
        doc = await self.users.find_one({"_id": user_id, "role": role})
        ok = await password_matches(doc["password_hash"] if doc else NO_ACCOUNT_HASH, password)
        if doc is None or not ok:
            await self.throttle.failed(list(keys))
            return None
        await self.throttle.forget(f"account:{role}:{user_id}")
        return _user(doc)

    async def get(self, user_id: str) -> User | None:
        d = await self.users.find_one({"_id": user_id})
        return _user(d) if d else None

    async def buyers(self) -> list[User]:
        return [User(user_id=d["_id"], role="buyer", name=d["name"], phone=d.get("phone", ""))
                async for d in self.users.find({"role": "buyer"}).sort("_id")]

    # ---- sessions ----

    async def open_session(self, user: User) -> str:
        sid = secrets.token_urlsafe(32)
        now = self.now()
        await self.sessions.insert_one({"_id": sid, "user_id": user.user_id, "role": user.role,
                                        "created_at": now, "expires_at": now + self.session_idle})
        return sid

    async def session(self, sid: str) -> User | None:
        """The session's user while the session lives and the account still exists."""
        now = self.now()
        found = await self.sessions.find_one_and_update(
            {"_id": sid, "expires_at": {"$gt": now}},
            {"$set": {"expires_at": now + self.session_idle}})
        if found is None:
            return None
        doc = await self.users.find_one({"_id": found["user_id"], "role": found["role"]})
        if doc is None:  # the account was deleted: its sessions end with it
            await self.sessions.delete_many({"user_id": found["user_id"]})
            return None
        return _user(doc)

    async def close_session(self, sid: str) -> None:
        await self.sessions.delete_one({"_id": sid})


def client_address(request: Request) -> str:
    return request.client.host if request.client else ""


def session_user(request: Request) -> User | None:
    return getattr(request.state, "user", None)


async def sign_in(accounts: Accounts, request: Request, user: User) -> None:
    """A fresh session (never one a visitor had before: no fixation) and a fresh CSRF token."""
    old = request.session.get("sid")
    if old:
        await accounts.close_session(old)
    request.session.pop("csrf", None)
    request.session["sid"] = await accounts.open_session(user)
    request.state.user = user


async def sign_out(accounts: Accounts, request: Request) -> None:
    sid = request.session.get("sid")
    if sid:
        await accounts.close_session(sid)
    request.session.clear()
    request.state.user = None


def session_resolver(accounts: Accounts) -> Callable[[Request, Callable[[Request],
                                                     Awaitable[Response]]], Awaitable[Response]]:
    """HTTP middleware (inside SessionMiddleware): sets `request.state.user` from the session."""

    async def resolve(request: Request,
                      call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        request.state.user = None
        sid = request.session.get("sid") if "session" in request.scope else None
        if isinstance(sid, str):
            request.state.user = await accounts.session(sid)
            if request.state.user is None:
                request.session.pop("sid", None)
        return await call_next(request)

    return resolve


def guest_orders(request: Request) -> list[str]:
    return list(request.session.get("guest_orders", []))


def remember_guest_order(request: Request, order_id: str) -> None:
    request.session["guest_orders"] = [*guest_orders(request), order_id][-20:]


def remember_payment(request: Request, order_id: str, method: str,
                     payment: dict[str, Any]) -> None:
    request.session[f"payment:{order_id}"] = {
        "method": method, "payment_id": payment.get("payment_id", ""),
        "virtual_account": payment.get("virtual_account", "")}
