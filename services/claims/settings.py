from kit.settings import ServiceSettings


class ClaimsSettings(ServiceSettings):
    http_port: int = 8103
