from kit.settings import ServiceSettings


class IntegrationsSettings(ServiceSettings):
    http_port: int = 8105
    # Where browsers reach this service (the PG simulator's checkout page).
    public_url: str = "http://127.0.0.1:8105"
    # Shared secret of the PG's webhook signatures (HMAC-SHA256 of the raw body).
    pg_webhook_secret: str = "dev-pg-secret-change-me"
    # Where the PG simulator delivers its webhooks (this service's receiver by default).
    pg_webhook_url: str = "http://127.0.0.1:8105/webhooks/pg"
