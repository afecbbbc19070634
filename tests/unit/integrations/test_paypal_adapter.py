"""The PayPal adapter on its own: webhook signatures (PayPal's CRC32 string, SHA256withRSA, the
certificate's host), carrier mapping, KRW → USD rounding."""

from __future__ import annotations

import base64
import json
import time
import zlib
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import NameOID

from contracts.orders.requests import CARRIERS
from integrations import paypal

WEBHOOK_ID = "WH-1234567890ABCDEF"
CERT_URL = "https://api.paypal.com/v1/notifications/certs/CERT-360caa42-fca2a594-a5cafa77"
BODY = json.dumps({"id": "WH-1", "event_type": "PAYMENT.CAPTURE.COMPLETED",
                   "resource": {"id": "3C679366HH908993F"}}).encode()


def key_and_cert(days: int = 30) -> tuple[rsa.RSAPrivateKey, bytes]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "messageverificationcerts")])
    now = datetime.now(UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=days))
            .sign(key, hashes.SHA256()))
    return key, cert.public_bytes(serialization.Encoding.PEM)


KEY, PEM = key_and_cert()


def headers(body: bytes, key: rsa.RSAPrivateKey = KEY, webhook_id: str = WEBHOOK_ID,
            cert_url: str = CERT_URL) -> dict[str, str]:
    tid, ttime = "b2384410-f8d2-11ee-8b0b-0000000000aa", "2026-12-03T14:00:00Z"
    message = f"{tid}|{ttime}|{webhook_id}|{zlib.crc32(body) & 0xFFFFFFFF}"
    sig = key.sign(message.encode(), padding.PKCS1v15(), hashes.SHA256())
    return {"paypal-transmission-id": tid, "paypal-transmission-time": ttime,
            "paypal-transmission-sig": base64.b64encode(sig).decode(),
            "paypal-cert-url": cert_url, "paypal-auth-algo": "SHA256withRSA"}


def cache() -> paypal.CertCache:
    c = paypal.CertCache([".paypal.com"])
    c._certs[CERT_URL] = (time.monotonic(), PEM)  # fetched once already
    return c


def test_the_signed_string_ends_with_the_unsigned_crc32_of_the_raw_body() -> None:
    body = b'{"a":1}'
    crc = zlib.crc32(body)
    assert paypal.signed_string("t", "2026-01-01T00:00:00Z", "WH", body) == \
        f"t|2026-01-01T00:00:00Z|WH|{crc}"
    # crc32 of this body is above 2**31: PayPal's string carries it unsigned.
    high = next(b for b in (f"x{i}".encode() for i in range(100)) if zlib.crc32(b) >= 2**31)
    assert paypal.signed_string("t", "x", "W", high).endswith(str(zlib.crc32(high)))


async def test_a_good_signature_verifies() -> None:
    assert await cache().verify(headers(BODY), BODY, WEBHOOK_ID)


async def test_a_tampered_body_fails() -> None:
    tampered = BODY.replace(b"3C679366HH908993F", b"3C679366HH908993G")
    assert not await cache().verify(headers(BODY), tampered, WEBHOOK_ID)


async def test_another_webhook_id_fails() -> None:
    # Signed for another subscription (another shop's webhook id): not ours.
    assert not await cache().verify(headers(BODY, webhook_id="WH-OTHER"), BODY, WEBHOOK_ID)


async def test_a_signature_by_another_key_fails() -> None:
    other, _ = key_and_cert()
    assert not await cache().verify(headers(BODY, key=other), BODY, WEBHOOK_ID)


async def test_a_foreign_cert_host_is_never_fetched() -> None:
    # A forger signs with their own key and points at their own certificate.
    forger, forged_pem = key_and_cert()
    for url in ("https://evil.example/cert.pem", "https://paypal.com.evil.example/c",
                "https://evilpaypal.com/c", "http://api.paypal.com/c",
                "https://user@api.paypal.com/c"):
        c = paypal.CertCache([".paypal.com"])
        c._certs[url] = (time.monotonic(), forged_pem)  # even if it were cached, it is refused
        assert not await c.verify(headers(BODY, key=forger, cert_url=url), BODY, WEBHOOK_ID), url


async def test_missing_headers_or_another_algorithm_fail() -> None:
    h = headers(BODY)
    for name in ("paypal-transmission-id", "paypal-transmission-sig", "paypal-cert-url"):
        assert not await cache().verify({k: v for k, v in h.items() if k != name}, BODY,
                                        WEBHOOK_ID)
    assert not await cache().verify({**h, "paypal-auth-algo": "SHA1withRSA"}, BODY, WEBHOOK_ID)
    assert not await cache().verify({**h, "paypal-transmission-sig": "not base64!"}, BODY,
                                    WEBHOOK_ID)


def test_an_expired_certificate_fails() -> None:
    key, pem = key_and_cert(days=-1)
    h = headers(BODY, key=key)
    message = paypal.signed_string(h["paypal-transmission-id"], h["paypal-transmission-time"],
                                   WEBHOOK_ID, BODY)
    assert not paypal.signature_valid(pem, h["paypal-transmission-sig"], message,
                                      "SHA256withRSA")


def test_allowed_cert_hosts() -> None:
    hosts = [".paypal.com"]
    assert paypal.cert_url_allowed("https://api.paypal.com/v1/notifications/certs/X", hosts)
    assert paypal.cert_url_allowed("https://paypal.com/x", hosts)
    assert not paypal.cert_url_allowed("https://api.paypal.com.evil.example/x", hosts)
    assert not paypal.cert_url_allowed("https://127.0.0.1/x", hosts)
    # The simulator of the tests: loopback, plain http allowed only there.
    assert paypal.cert_url_allowed("http://127.0.0.1:18195/v1/certs/X", ["127.0.0.1"])
    assert not paypal.cert_url_allowed("http://127.0.0.2/x", ["127.0.0.1"])


def test_carriers_map_to_paypals_enum_or_other_with_the_korean_name() -> None:
    assert paypal.tracking_carrier("CJ대한통운") == ("KOR_CJ", "")
    assert paypal.tracking_carrier("우체국택배") == ("KOR_KOREA_POST", "")
    for name in ("한진택배", "롯데택배", "로젠택배"):
        assert paypal.tracking_carrier(name) == ("OTHER", name)
    assert {paypal.tracking_carrier(c)[0] for c in CARRIERS} <= {"KOR_CJ", "KOR_KOREA_POST",
                                                                 "OTHER"}


@pytest.mark.parametrize(("krw", "rate", "cents", "text"), [
    (13500, "1350", 1000, "10.00"),
    (10000, "1350", 741, "7.41"),      # 7.4074… → 7.41
    (10007, "1350", 741, "7.41"),      # 7.4126 → 7.41
    (10010, "1350", 741, "7.41"),      # 7.4148 → 7.41
    (10013, "1350", 742, "7.42"),      # 7.4170 → 7.42
    (6750, "1350", 500, "5.00"),
    (675, "1350", 50, "0.50"),
    (26, "1350", 2, "0.02"),           # 1.926 cents → 2
    (1, "1350", 0, "0.00"),
    (1_000_000, "1382.5", 72333, "723.33"),
])
def test_krw_to_usd_rounds_half_up_to_the_cent(krw: int, rate: str, cents: int,
                                               text: str) -> None:
    assert paypal.usd_cents(krw, Decimal(rate)) == cents
    assert paypal.cents_text(cents) == text


def test_half_a_cent_rounds_up() -> None:
    # 13.5 KRW at 1350 is exactly 1 cent; 6.75 KRW would be half a cent: only whole KRW exist,
    # so check the rule on a rate that makes a half: 1 KRW at 200 KRW/USD = 0.5 cent → 1.
    assert paypal.usd_cents(1, Decimal("200")) == 1
    assert paypal.usd_cents(3, Decimal("200")) == 2  # 1.5 → 2


def test_amount_text_round_trips() -> None:
    assert paypal.cents_of("12.34") == 1234
    assert paypal.cents_of("7") == 700
    assert paypal.krw_of(741, Decimal("1350")) == 10004  # 7.41 × 1350 = 10003.5 → 10004
    with pytest.raises(ValueError):
        paypal.cents_of("1.234")
