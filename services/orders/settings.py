from kit.settings import ServiceSettings


class OrdersSettings(ServiceSettings):
    http_port: int = 8101
    # Shop defaults; the seller changes them at runtime through PUT /settings.
    auto_confirm_days: int = 7
    deposit_deadline_days: int = 3
    # Storefront shipping fee (KRW), waived when the items total reaches FREE_SHIPPING_OVER.
    shipping_fee: int = 3000
    free_shipping_over: int = 50000
    # How often the scheduler looks for due auto-confirmations and expired deposits.
    scheduler_interval_seconds: float = 5.0
