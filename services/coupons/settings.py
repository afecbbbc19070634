from kit.settings import ServiceSettings


class CouponsSettings(ServiceSettings):
    http_port: int = 8104
    # Purchase points: percent of the paid amount of confirmed items, granted at confirmation.
    points_rate_percent: int = 1
