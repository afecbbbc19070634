"""Log-in and log-out for the JSON API (/api/auth): buyers and sellers, server-side sessions."""

from __future__ import annotations

from fastapi import APIRouter, Request
from pydantic import BaseModel

from gateway.auth import Accounts, Login, User, client_address, sign_in, sign_out
from gateway.clients import ServiceError
from gateway.deps import AccountsDep


class SignedIn(BaseModel):
    user: User


class SignedOut(BaseModel):
    ok: bool


async def login(accounts: Accounts, request: Request, body: Login, role: str) -> SignedIn:
    user = await accounts.verify(body.user_id, body.password, role, client_address(request))
    if user is None:
        raise ServiceError(401, "bad_credentials", "wrong id or password")
    await sign_in(accounts, request, user)
    return SignedIn(user=user)


router = APIRouter(prefix="/api")


@router.post("/auth/login", tags=["auth"])
async def buyer_login(accounts: AccountsDep, request: Request, body: Login) -> SignedIn:
    return await login(accounts, request, body, "buyer")


@router.post("/auth/admin-login", tags=["auth"])
async def seller_login(accounts: AccountsDep, request: Request, body: Login) -> SignedIn:
    return await login(accounts, request, body, "seller")


@router.post("/auth/logout", tags=["auth"])
async def logout(accounts: AccountsDep, request: Request) -> SignedOut:
    await sign_out(accounts, request)
    return SignedOut(ok=True)
