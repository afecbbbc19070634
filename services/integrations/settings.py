from kit.settings import ServiceSettings


class IntegrationsSettings(ServiceSettings):
    http_port: int = 8105
    # Shared secret of the PG's webhook signatures (HMAC-SHA256 of the raw body).
    pg_webhook_secret: str = "dev-pg-secret-change-me"
    # The PG's merchant API (payments, refunds) and our merchant key there. By default the PG
    # simulator that `make up` and the tests start (simulators/pg); deployments name the real PG.
    pg_api_url: str = "http://127.0.0.1:8190"
    pg_api_key: str = "dev-pg-api-key-change-me"
    # Naver Pay (Naver Commerce API): the API base, the application's id and secret (a bcrypt
    # salt), how often to poll the changed product orders, how far back each poll re-reads (the
    # feed lags), how far back the very first poll looks. Defaults: the simulator of `make up`.
    naverpay_enabled: bool = True  # off: no poller, no calls (a shop without a Naver contract)
    naverpay_api_url: str = "http://127.0.0.1:8191/external"
    naverpay_client_id: str = "dev-naver-client"
    naverpay_client_secret: str = "$2a$10$abcdefghijklmnopqrstuu"
    naverpay_poll_seconds: float = 2.0
    naverpay_overlap_seconds: float = 120.0
    naverpay_first_window_seconds: float = 3600.0
    # Where a cart is registered for the Naver Pay button (the 주문형 order registration; its
    # real path is not public, PARTNERS.md §1.1): the simulator's by default.
    naverpay_order_register_url: str = "http://127.0.0.1:8191/_sim/orders"
    # Talk Checkout (톡체크아웃): no public API exists (PARTNERS.md §2); the same order model as
    # Naver's behind the same port, served by the simulator of `make up` by default.
    talkcheckout_enabled: bool = True
    talkcheckout_api_url: str = "http://127.0.0.1:8192/external"
    talkcheckout_client_id: str = "dev-talk-client"
    talkcheckout_client_secret: str = "$2a$10$zyxwvutsrqponmlkjihgfe"
    talkcheckout_poll_seconds: float = 2.0
    talkcheckout_order_register_url: str = "http://127.0.0.1:8192/_sim/orders"
    # Carrier tracking (배송조회, PARTNERS.md §5): tracker.delivery's GraphQL API and the shop's
    # credentials there (defaults: the simulator of `make up`). A shipped parcel is first polled
    # TRACKING_FIRST_POLL_SECONDS after shipping, then ever less often (doubling, at most
    # TRACKING_MAX_INTERVAL_SECONDS); after TRACKING_GIVE_UP_DAYS without delivery it is flagged
    # stale and left alone. The poller looks for due parcels every TRACKING_TICK_SECONDS.
    tracking_api_url: str = "http://127.0.0.1:8193/graphql"
    tracking_client_id: str = "dev-tracker-client"
    tracking_client_secret: str = "dev-tracker-secret"
    tracking_first_poll_seconds: float = 3600.0
    tracking_max_interval_seconds: float = 4 * 3600.0
    tracking_give_up_days: float = 14.0
    tracking_tick_seconds: float = 30.0
    # At most this many parcels per poll (the rest wait for the next tick): a day of bulk
    # shipping never floods the tracker or this service's other work.
    tracking_batch: int = 50
    # Where the tracker announces new scans (tracker.delivery's Cloud webhooks: ids only, a hint
    # to poll now); empty = polling only. Each shipped parcel is registered for
    # TRACKING_WEBHOOK_HOURS (48, the tracker's advice) and again when it is polled after that.
    tracking_callback_url: str = ""
    tracking_webhook_hours: float = 48.0
    # PayPal (PARTNERS.md §3): the REST API, the shop's REST app for checkout and refunds, the
    # webhook subscription's id (part of what PayPal signs), the hosts a webhook's signing
    # certificate may come from (comma separated; a leading dot: the domain and its subdomains),
    # and the KRW per USD rate checkout converts our totals at (KRW is not a PayPal currency).
    # Defaults: the simulator of `make up` (deployments: off, like Naver Pay).
    paypal_enabled: bool = True
    paypal_api_url: str = "http://127.0.0.1:8195"
    paypal_client_id: str = "dev-paypal-client"
    paypal_client_secret: str = "dev-paypal-secret"
    paypal_webhook_id: str = "WH-DEV-0000000000000000"
    paypal_cert_hosts: str = ".paypal.com"
    # The REST API a seller's sandbox app (배송정보 연동, env sandbox) is called at; empty: the
    # same as PAYPAL_API_URL (real: https://api-m.sandbox.paypal.com).
    paypal_sandbox_api_url: str = ""
    paypal_krw_per_usd: str = "1350"
    # How often tracking pushes waiting for the seller's 배송정보 연동 settings are looked at.
    paypal_release_seconds: float = 5.0
