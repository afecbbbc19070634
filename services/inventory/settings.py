from kit.settings import ServiceSettings


class InventorySettings(ServiceSettings):
    http_port: int = 8102
    # The storefront shows "only N left" at or below this stock.
    low_stock_threshold: int = 5
