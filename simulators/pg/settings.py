from pydantic_settings import BaseSettings, SettingsConfigDict


class PgSimSettings(BaseSettings):
    """The PG simulator's settings (environment names prefixed PGSIM_, except the shared ones)."""

    model_config = SettingsConfigDict(env_prefix="PGSIM_", extra="ignore")

    http_host: str = "127.0.0.1"
    http_port: int = 8190
    # Where browsers reach the simulator (its card checkout page).
    public_url: str = "http://127.0.0.1:8190"
    mongodb_url: str = "mongodb://127.0.0.1:27017/?directConnection=true"
    database: str = "pgsim"
    # The merchant's secret API key: the PG refuses API calls without it (checkout pages are open).
    api_key: str = "dev-pg-api-key-change-me"
    # Shared secret of the webhook signatures (HMAC-SHA256 of the raw body).
    webhook_secret: str = "dev-pg-secret-change-me"
    # Where the PG delivers its webhooks (the integrations service's receiver).
    webhook_url: str = "http://127.0.0.1:8105/webhooks/pg"
