"""Settings every service shares; each service subclasses with its own fields."""

from pydantic_settings import BaseSettings, SettingsConfigDict


class ServiceSettings(BaseSettings):
    """Read from the environment (the same names in compose, Kubernetes and `make up`)."""

    model_config = SettingsConfigDict(env_prefix="", extra="ignore")

    kafka_bootstrap_servers: str = "127.0.0.1:19092"
    mongodb_url: str = "mongodb://127.0.0.1:27017/?directConnection=true"
    log_level: str = "INFO"
    # Where the HTTP API listens: loopback unless a deployment says otherwise (deploy/ sets 0.0.0.0).
    http_host: str = "127.0.0.1"
    # The credential every internal call carries in `x-service-token` (the gateway and the tools
    # of operators have it; buyers and partners never do). Deployments set it from a secret.
    service_token: str = "dev-service-token-change-me"
    # How often the outbox relay looks for rows when nothing woke it up.
    outbox_poll_seconds: float = 0.2
    # Only for tests and demos: lets POST /_test/clock move this service's clock.
    allow_clock_control: bool = False
    # Request bodies over this answer 413 (a bulk job from a large invoice sheet stays below).
    max_body_bytes: int = 32 * 1024 * 1024
