from pydantic_settings import BaseSettings, SettingsConfigDict


class PayPalSimSettings(BaseSettings):
    """The PayPal simulator's settings (environment names prefixed PAYPALSIM_)."""

    model_config = SettingsConfigDict(env_prefix="PAYPALSIM_", extra="ignore")

    http_host: str = "127.0.0.1"
    http_port: int = 8195
    # Where browsers and the shop reach the simulator (the approval page, the signing cert).
    public_url: str = "http://127.0.0.1:8195"
    mongodb_url: str = "mongodb://127.0.0.1:27017/?directConnection=true"
    database: str = "paypalsim"
    # The REST app's credentials (OAuth2 client credentials, HTTP Basic on /v1/oauth2/token).
    client_id: str = "dev-paypal-client"
    client_secret: str = "dev-paypal-secret"
    # The webhook subscription: where events go and the id PayPal signs them with.
    webhook_url: str = "http://127.0.0.1:8105/webhooks/paypal"
    webhook_id: str = "WH-DEV-0000000000000000"
    # Deliveries answered non-2xx are tried again (PayPal: 25 times over 3 days).
    webhook_tries: int = 6
    webhook_first_delay_seconds: float = 0.2
