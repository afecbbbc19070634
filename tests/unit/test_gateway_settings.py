"""Gateway settings that end up in response headers are checked when the gateway starts."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from gateway.settings import GatewaySettings


def test_the_pg_checkout_origin_is_cut_to_an_origin() -> None:
    s = GatewaySettings(pg_checkout_origin="https://pay.pg.example.com:8443/checkout/x?y=1")
    assert s.pg_checkout_origin == "https://pay.pg.example.com:8443"


@pytest.mark.parametrize("value", ["pay.pg.example.com", "javascript:alert(1)", "*",
                                   "https://pay.pg.example.com; script-src *",
                                   "https://a b.example", "ftp://pay.pg.example.com"])
def test_a_pg_checkout_origin_that_is_no_http_origin_is_refused(value: str) -> None:
    """It goes into the Content-Security-Policy: nothing there may add a source or directive."""
    with pytest.raises(ValidationError):
        GatewaySettings(pg_checkout_origin=value)


def test_checkout_offers_only_the_simple_pay_partners_the_shop_enabled() -> None:
    assert GatewaySettings().simple_pay_partners == ("NAVERPAY", "TALKCHECKOUT")
    assert GatewaySettings(naverpay_enabled=False).simple_pay_partners == ("TALKCHECKOUT",)
    assert GatewaySettings(naverpay_enabled=False,
                           talkcheckout_enabled=False).simple_pay_partners == ()


async def test_a_disabled_partner_is_refused_before_any_service_is_called() -> None:
    from gateway.clients import ServiceError
    from gateway.orders import CartLine, OrderGateway, SimplePayCheckout

    class NoServices:
        def __getattr__(self, name: str) -> object:
            raise AssertionError(f"called {name}")

    gw = OrderGateway(NoServices(), GatewaySettings(talkcheckout_enabled=False))  # type: ignore[arg-type]
    cart = SimplePayCheckout(partner="TALKCHECKOUT", lines=[CartLine(sku_id="s", quantity=1)],
                             ship_to={"name": "a", "phone": "010-1234-5678", "zipcode": "06236",
                                      "address1": "서울"})  # type: ignore[arg-type]
    with pytest.raises(ServiceError) as refused:
        await gw.start_simple_pay(cart, None, "http://x/talkcheckout/complete")
    assert (refused.value.status_code, refused.value.key) == (409, "partner_disabled")
