import os
from typing import Literal

from pydantic_settings import BaseSettings, SettingsConfigDict


class NaverSimSettings(BaseSettings):
    """The Naver Pay simulator's settings (environment names prefixed NAVERSIM_)."""

    model_config = SettingsConfigDict(env_prefix="NAVERSIM_", extra="ignore")

    partner: Literal["NAVERPAY", "TALKCHECKOUT"] = "NAVERPAY"
    http_host: str = "127.0.0.1"
    http_port: int = 8191
    # Where browsers reach the simulator (the buyer's Naver Pay checkout page).
    public_url: str = "http://127.0.0.1:8191"
    mongodb_url: str = "mongodb://127.0.0.1:27017/?directConnection=true"
    database: str = "naversim"
    # The shop's application at Naver: its id and secret (the secret is a bcrypt salt).
    client_id: str = "dev-naver-client"
    client_secret: str = "$2a$10$abcdefghijklmnopqrstuu"
    # The token bucket of each API group: tokens per second, and its capacity (Naver: 2 × rate).
    rate: float = 20.0
    burst: float = 40.0


class TalkSimSettings(NaverSimSettings):
    """The Talk Checkout simulator (environment names prefixed TALKSIM_): the same order model
    and API shapes (Talk Checkout publishes none, PARTNERS.md §2) with Talk Checkout's rules."""

    model_config = SettingsConfigDict(env_prefix="TALKSIM_", extra="ignore")

    partner: Literal["NAVERPAY", "TALKCHECKOUT"] = "TALKCHECKOUT"
    http_port: int = 8192
    public_url: str = "http://127.0.0.1:8192"
    database: str = "talksim"
    client_id: str = "dev-talk-client"
    client_secret: str = "$2a$10$zyxwvutsrqponmlkjihgfe"


def sim_settings() -> NaverSimSettings:
    """`python -m simulators.talkcheckout` sets SIM_PARTNER=TALKCHECKOUT before importing."""
    if os.environ.get("SIM_PARTNER") == "TALKCHECKOUT":
        return TalkSimSettings()
    return NaverSimSettings()
