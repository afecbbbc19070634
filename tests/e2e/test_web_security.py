"""Web safety of the gateway's pages: escaped error pages, security headers, redirects that
never leave the site."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.conftest import Shop, form_token

HTML = {"accept": "text/html"}
OFF_SITE = ["//evil.example", "/\\evil.example", "https://evil.example/x", "/\\/evil.example",
            "evil.example", "/\r\nLocation: //evil"]


async def test_an_error_page_shows_the_requested_id_as_text_not_markup(shop: Shop) -> None:
    seller = await shop.seller()
    r = await seller.get("/admin/orders/%3Cimg%20src=x%20onerror=alert(1)%3E", headers=HTML)
    assert 400 <= r.status_code < 500
    assert "<img" not in r.text
    assert "&lt;img src=x onerror=alert(1)&gt;" in r.text
    assert '<html lang="ko">' in r.text, "the error page keeps the Korean UI"


def policy(header: str) -> dict[str, list[str]]:
    """A Content-Security-Policy as {directive: its sources}."""
    directives = [d.split() for d in header.split(";") if d.strip()]
    return {d[0]: d[1:] for d in directives}


async def test_every_response_carries_the_security_headers(shop: Shop) -> None:
    seller = await shop.seller()
    for r in [await shop.client().get("/", headers=HTML), await seller.get("/api/admin/orders"),
              await shop.client().get("/static/app.css"),
              await seller.get("/admin/orders/nope", headers=HTML),
              await seller.get("/admin/orders", headers=HTML)]:
        assert r.headers["x-content-type-options"] == "nosniff", r.url
        assert r.headers["referrer-policy"] == "same-origin", r.url
        assert r.headers["x-frame-options"] == "DENY", r.url
        csp = policy(r.headers["content-security-policy"])
        assert csp["script-src"] == ["'self'"], r.url  # no inline script, no other origin
        assert csp["default-src"] == ["'self'"] and csp["object-src"] == ["'none'"], r.url
        assert csp["style-src"] == ["'self'", "'unsafe-inline'"], r.url
        assert csp["img-src"] == ["'self'", "data:"] and csp["connect-src"] == ["'self'"], r.url
        assert csp["frame-ancestors"] == ["'none'"] and csp["base-uri"] == ["'self'"], r.url
        # Forms post here; placing a card order redirects its form to the PG's checkout page,
        # a Naver Pay or Talk Checkout order to its partner's, a PayPal order to PayPal's.
        assert csp["form-action"] == ["'self'", shop.stack.url("pgsim"),
                                      shop.stack.url("naversim"), shop.stack.url("talksim"),
                                      shop.stack.url("paypalsim")], r.url


@pytest.mark.parametrize("method", ["CARD", "PAYPAL"])
async def test_a_card_order_leads_to_a_checkout_page_form_action_allows(shop: Shop,
                                                                        method: str) -> None:
    """The checkout form's redirect goes to the PG's checkout page (PayPal's approval page):
    form-action must name its origin (the browser refuses the redirect otherwise)."""
    sku = (await shop.product())["skus"][0]["_id"]
    buyer = await shop.buyer()
    checkout = await buyer.get("/checkout", params={"sku": sku, "qty": "1"}, headers=HTML)
    allowed = policy(checkout.headers["content-security-policy"])["form-action"]
    token = re.search(r'name="csrf_token" value="([^"]+)"', checkout.text).group(1)  # type: ignore[union-attr]
    r = await buyer.post("/checkout", data={
        "csrf_token": token, "sku": sku, "qty": "1", "payment_method": method,
        "ship_name": "김구매", "ship_phone": "010-1234-5678", "zipcode": "06236",
        "address1": "서울특별시 강남구 테헤란로 1", "address2": ""}, headers=HTML)
    assert r.status_code == 303, r.text
    target = urlsplit(r.headers["location"])
    assert target.netloc != urlsplit(shop.gateway).netloc, "the checkout page is off-site"
    assert f"{target.scheme}://{target.netloc}" in allowed


async def test_a_seller_logging_in_from_the_order_list_returns_to_it(shop: Shop) -> None:
    c = shop.client()
    r = await c.get("/admin/orders?q=abc", headers=HTML)
    assert r.status_code == 303
    login = r.headers["location"]
    assert parse_qs(urlsplit(login).query)["next"] == ["/admin/orders?q=abc"]
    page = await c.get(login, headers=HTML)
    next_ = re.search(r'name="next" value="([^"]*)"', page.text).group(1)  # type: ignore[union-attr]
    r = await c.post("/admin/login", data={"user_id": "seller", "password": "seller1234",
                                          "next": next_.replace("&amp;", "&"),
                                          "csrf_token": form_token(page.text)})
    assert r.status_code == 303
    assert r.headers["location"] == "/admin/orders?q=abc"


@pytest.mark.parametrize("target", OFF_SITE)
async def test_log_in_never_redirects_off_site(shop: Shop, target: str) -> None:
    for form, user, password, default in [("/admin/login", "seller", "seller1234",
                                           "/admin/orders"), ("/login", "buyer1", "buyer1234",
                                                              "/my")]:
        c = shop.client()
        page = await c.get(form, params={"next": target}, headers=HTML)
        assert f'name="next" value="{default}"' in page.text
        token = form_token(page.text)
        r = await c.post(form, data={"user_id": user, "password": "wrong", "next": target,
                                     "csrf_token": token})
        assert parse_qs(urlsplit(r.headers["location"]).query)["next"] == [default]
        r = await c.post(form, data={"user_id": user, "password": password, "next": target,
                                     "csrf_token": token})
        assert r.status_code == 303
        assert r.headers["location"] == default, (form, target)


async def test_switching_language_returns_only_to_a_page_of_this_site(shop: Shop) -> None:
    c = shop.client()
    r = await c.get("/lang?to=en", headers={"referer": f"{shop.gateway}/admin/orders?q=1"})
    assert r.headers["location"] == "/admin/orders?q=1"
    for referer in ["https://evil.example/admin", "//evil.example", "/\\evil.example",
                    f"https://evil.example/{shop.gateway}"]:
        r = await c.get("/lang?to=en", headers={"referer": referer})
        assert r.status_code == 303
        assert r.headers["location"] == "/", referer
