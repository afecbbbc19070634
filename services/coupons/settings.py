from kit.settings import ServiceSettings


class CouponsSettings(ServiceSettings):
    http_port: int = 8104
    # Defaults of the rules the seller can change in the admin (coupons.rules.ShopRules).
    # Purchase points: percent of the paid amount of confirmed items, granted at confirmation.
    points_rate_percent: int = 1
    auto_best: bool = True  # 주문서 최대 할인
    points_min_balance: int = 1000
    points_unit: int = 10
    points_max_share_percent: int = 100
    # A checkout lock (coupons and points taken for a placement) that nobody commits or releases
    # within this time is released (a gateway died between lock and placement).
    lock_ttl_seconds: float = 900
    # How often expired locks are looked for.
    scheduler_interval_seconds: float = 5.0
