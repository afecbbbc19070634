"""Seller and buyer accounts (the gateway's own database), hashed passwords, cookie sessions."""

from __future__ import annotations

from typing import Annotated, Any

from argon2 import PasswordHasher
from argon2.exceptions import VerifyMismatchError
from fastapi import Depends, HTTPException, Request
from pydantic import BaseModel, Field

hasher = PasswordHasher()


class User(BaseModel):
    user_id: str
    role: str  # "seller" | "buyer"
    name: str
    phone: str = ""
    email: str = ""


class Login(BaseModel):
    user_id: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=200)


class Accounts:
    def __init__(self, db: Any) -> None:
        self.users = db.users

    async def create(self, user: User, password: str) -> None:
        await self.users.replace_one(
            {"_id": user.user_id},
            {"_id": user.user_id, **user.model_dump(exclude={"user_id"}),
             "password_hash": hasher.hash(password)},
            upsert=True,
        )

    async def verify(self, user_id: str, password: str, role: str) -> User | None:
        doc = await self.users.find_one({"_id": user_id, "role": role})
        if doc is None:
            return None
        try:
            hasher.verify(doc["password_hash"], password)
        except VerifyMismatchError:
            return None
        return User(user_id=doc["_id"], role=doc["role"], name=doc["name"],
                    phone=doc.get("phone", ""), email=doc.get("email", ""))

    async def get(self, user_id: str) -> User | None:
        d = await self.users.find_one({"_id": user_id})
        if d is None:
            return None
        return User(user_id=d["_id"], role=d["role"], name=d["name"], phone=d.get("phone", ""),
                    email=d.get("email", ""))

    async def buyers(self) -> list[User]:
        return [User(user_id=d["_id"], role="buyer", name=d["name"], phone=d.get("phone", ""))
                async for d in self.users.find({"role": "buyer"}).sort("_id")]


def session_user(request: Request) -> User | None:
    data = request.session.get("user")
    return User(**data) if data else None


def sign_in(request: Request, user: User) -> None:
    request.session["user"] = user.model_dump()


def sign_out(request: Request) -> None:
    request.session.clear()


def _require(role: str, status: int) -> Any:
    def dependency(request: Request) -> User:
        user = session_user(request)
        if user is None:
            raise HTTPException(401, {"error": "login_required", "message": "log in first"})
        if user.role != role:
            raise HTTPException(status, {"error": "forbidden",
                                         "message": f"this needs a {role} account"})
        return user

    return dependency


SellerDep = Annotated[User, Depends(_require("seller", 403))]
BuyerDep = Annotated[User, Depends(_require("buyer", 403))]
MaybeUserDep = Annotated[User | None, Depends(session_user)]
