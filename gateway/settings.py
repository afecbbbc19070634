import re
from urllib.parse import urlsplit

from pydantic import field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

ORIGIN = re.compile(r"https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?")


class GatewaySettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="", extra="ignore")

    http_port: int = 8000
    # Loopback unless a deployment says otherwise (deploy/ sets 0.0.0.0 behind its ingress).
    http_host: str = "127.0.0.1"
    # Proxies whose X-Forwarded-For / -Proto are believed (the client address counts log-in
    # failures). Behind an ingress, its addresses; "*" when only the ingress can reach the gateway.
    forwarded_allow_ips: str = "127.0.0.1"
    # Sent in `x-service-token` on every call to the internal services.
    service_token: str = "dev-service-token-change-me"
    public_url: str = "http://127.0.0.1:8000"
    # Where the PG's card checkout page is served (scheme://host[:port]; a URL is cut to its
    # origin). Placing a card order posts a form here that redirects there, so the
    # Content-Security-Policy's form-action allows this origin (the PG simulator's by default).
    pg_checkout_origin: str = "http://127.0.0.1:8190"
    # Where Naver Pay's checkout page is (the Naver Pay simulator's by default), likewise.
    naverpay_checkout_origin: str = "http://127.0.0.1:8191"
    # ... and Talk Checkout's (its simulator's by default).
    talkcheckout_checkout_origin: str = "http://127.0.0.1:8192"
    # ... and PayPal's approval page (its simulator's by default).
    paypal_checkout_origin: str = "http://127.0.0.1:8195"
    # Whether checkout offers PayPal (integrations has PAYPAL_ENABLED too).
    paypal_enabled: bool = True
    # Whether checkout offers each simple-pay partner (integrations has it configured too).
    naverpay_enabled: bool = True
    talkcheckout_enabled: bool = True
    mongodb_url: str = "mongodb://127.0.0.1:27017/?directConnection=true"
    orders_url: str = "http://127.0.0.1:8101"
    inventory_url: str = "http://127.0.0.1:8102"
    claims_url: str = "http://127.0.0.1:8103"
    coupons_url: str = "http://127.0.0.1:8104"
    integrations_url: str = "http://127.0.0.1:8105"
    session_secret: str = "dev-session-secret-change-me"
    # Send the session cookie over HTTPS only (on wherever the shop is served over HTTPS).
    session_cookie_secure: bool = False
    # A session ends after this long without a request, and at log-out, everywhere at once.
    session_idle_hours: float = 12
    # Failed log-ins allowed per account and per client address in a window, before refusing.
    login_attempts_per_account: int = 5
    login_attempts_per_address: int = 30
    login_window_minutes: float = 15
    log_level: str = "INFO"
    # How long placing an order waits for inventory's answer before replying 202.
    reservation_wait_seconds: float = 10.0
    # Request bodies over this answer 413 (invoice uploads may be larger, up to the sheet limit).
    max_body_bytes: int = 1024 * 1024
    max_upload_body_bytes: int = 21 * 1024 * 1024
    # Invoice uploads: rows read at most (more is refused), columns read, and how large an XLSX
    # may unpack (its zip parts' declared sizes).
    upload_max_rows: int = 20_000
    upload_max_columns: int = 30
    upload_max_unpacked_bytes: int = 64 * 1024 * 1024

    @property
    def simple_pay_partners(self) -> tuple[str, ...]:
        """The simple-pay partners checkout offers, in the order it shows them."""
        return tuple(p for p, on in (("NAVERPAY", self.naverpay_enabled),
                                     ("TALKCHECKOUT", self.talkcheckout_enabled)) if on)

    @field_validator("pg_checkout_origin", "naverpay_checkout_origin",
                     "talkcheckout_checkout_origin", "paypal_checkout_origin")
    @classmethod
    def _origin(cls, value: str) -> str:
        parts = urlsplit(value.strip())
        origin = f"{parts.scheme}://{parts.netloc}"
        if not ORIGIN.fullmatch(origin):
            raise ValueError(f"not an http(s) origin: {value!r}")
        return origin
