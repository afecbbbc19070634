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
