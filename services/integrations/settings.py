from kit.settings import ServiceSettings


class IntegrationsSettings(ServiceSettings):
    http_port: int = 8105
    # Shared secret of the PG's webhook signatures (HMAC-SHA256 of the raw body).
    pg_webhook_secret: str = "dev-pg-secret-change-me"
    # The PG's merchant API (payments, refunds) and our merchant key there. By default the PG
    # simulator that `make up` and the tests start (simulators/pg); deployments name the real PG.
    pg_api_url: str = "http://127.0.0.1:8190"
    pg_api_key: str = "dev-pg-api-key-change-me"
