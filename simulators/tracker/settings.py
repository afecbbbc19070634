from pydantic_settings import BaseSettings, SettingsConfigDict


class TrackerSimSettings(BaseSettings):
    """The carrier tracking simulator's settings (environment names prefixed TRACKERSIM_)."""

    model_config = SettingsConfigDict(env_prefix="TRACKERSIM_", extra="ignore")

    http_host: str = "127.0.0.1"
    http_port: int = 8193
    mongodb_url: str = "mongodb://127.0.0.1:27017/?directConnection=true"
    database: str = "trackersim"
    # The shop's API credentials at tracker.delivery.
    client_id: str = "dev-tracker-client"
    client_secret: str = "dev-tracker-secret"
    # Calls per second (tracker.delivery's free quota is ~10/s), and the bucket's capacity.
    rate: float = 10.0
    burst: float = 20.0
