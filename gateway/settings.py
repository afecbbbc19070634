from pydantic_settings import BaseSettings, SettingsConfigDict


class GatewaySettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="", extra="ignore")

    http_port: int = 8000
    public_url: str = "http://127.0.0.1:8000"
    mongodb_url: str = "mongodb://127.0.0.1:27017/?directConnection=true"
    orders_url: str = "http://127.0.0.1:8101"
    inventory_url: str = "http://127.0.0.1:8102"
    claims_url: str = "http://127.0.0.1:8103"
    coupons_url: str = "http://127.0.0.1:8104"
    integrations_url: str = "http://127.0.0.1:8105"
    # Where browsers reach the PG simulator (integrations service).
    integrations_public_url: str = "http://127.0.0.1:8105"
    session_secret: str = "dev-session-secret-change-me"
    log_level: str = "INFO"
    # Shop shipping policy (KRW).
    shipping_fee: int = 3000
    free_shipping_over: int = 50000
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
