"""Log-in and log-out for the JSON API (/api/auth): buyers and sellers, server-side sessions."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from gateway.auth import Accounts, Login, client_address, sign_in, sign_out
from gateway.clients import ServiceError
from gateway.deps import AccountsDep


async def login(accounts: Accounts, request: Request, body: Login, role: str) -> dict[str, Any]:
    user = await accounts.verify(body.user_id, body.password, role, client_address(request))
    if user is None:
        raise ServiceError(401, "bad_credentials", "wrong id or password")
    await sign_in(accounts, request, user)
    return {"user": user.model_dump()}


router = APIRouter(prefix="/api")


@router.post("/auth/login", tags=["auth"])
async def buyer_login(accounts: AccountsDep, request: Request, body: Login) -> dict[str, Any]:
    return await login(accounts, request, body, "buyer")


@router.post("/auth/admin-login", tags=["auth"])
async def seller_login(accounts: AccountsDep, request: Request, body: Login) -> dict[str, Any]:
    return await login(accounts, request, body, "seller")


@router.post("/auth/logout", tags=["auth"])
async def logout(accounts: AccountsDep, request: Request) -> dict[str, bool]:
    await sign_out(accounts, request)
    return {"ok": True}
