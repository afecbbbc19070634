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
    # 주문서 최대 할인: the checkout waits at most this for the proven best combination, then
    # applies the best one found (marked not proven optimal, with the bound the search proved).
    optimizer_budget_ms: int = 150
    # A search that has not stopped this long after its budget is killed (greedy answer).
    optimizer_grace_ms: int = 1000
    # Worker processes of the search (pure-Python CPU work: a process pool, not threads).
    optimizer_workers: int = 2
    # How often expired locks are looked for.
    scheduler_interval_seconds: float = 5.0
