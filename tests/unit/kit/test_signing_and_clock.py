"""Webhook HMAC signatures (SPEC §10) and the test-movable clock."""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime, timedelta

import pytest

from integrations.signing import sign, verify
from kit.clock import Clock

SECRET = "pg-webhook-secret"
BODY = b'{"event":"payment.approved","tx_id":"T1","order_id":"o-1","amount":43500,"method":"CARD"}'


# ---- signing ----


def test_a_signature_is_the_hex_hmac_sha256_of_the_body() -> None:
    expected = hmac.new(SECRET.encode(), BODY, hashlib.sha256).hexdigest()

    assert sign(SECRET, BODY) == expected
    assert len(sign(SECRET, BODY)) == 64


def test_a_body_signed_with_the_shared_secret_verifies() -> None:
    assert verify(SECRET, BODY, sign(SECRET, BODY))


def test_a_tampered_body_fails_verification() -> None:
    signature = sign(SECRET, BODY)
    tampered = BODY.replace(b"43500", b"43501")

    assert not verify(SECRET, tampered, signature)


def test_a_body_signed_with_another_secret_fails_verification() -> None:
    assert not verify(SECRET, BODY, sign("someone-else", BODY))


@pytest.mark.parametrize("signature", ["", None])
def test_a_missing_signature_fails_verification(signature: str | None) -> None:
    assert not verify(SECRET, BODY, signature)  # type: ignore[arg-type]


def test_a_signature_of_another_case_or_length_fails_verification() -> None:
    signature = sign(SECRET, BODY)

    assert not verify(SECRET, BODY, signature.upper())
    assert not verify(SECRET, BODY, signature[:-1])
    assert not verify(SECRET, BODY, signature + "0")


def test_a_signature_with_non_ascii_characters_fails_verification_instead_of_crashing() -> None:
    # An HTTP header arrives decoded as latin-1: a forged header can hold any byte.
    assert verify(SECRET, BODY, "é" * 64) is False


def test_the_same_body_and_secret_always_give_the_same_signature() -> None:
    assert sign(SECRET, BODY) == sign(SECRET, bytes(BODY))
    assert sign(SECRET, b"") != sign(SECRET, b" ")


# ---- clock ----


def test_a_fresh_clock_tells_the_current_utc_time() -> None:
    clock = Clock()

    before = datetime.now(UTC)
    now = clock.now()
    after = datetime.now(UTC)

    assert before <= now <= after
    assert now.utcoffset() == timedelta(0)


def test_advancing_the_clock_moves_now_forward_by_that_many_seconds() -> None:
    clock = Clock()

    clock.advance(7 * 24 * 3600)

    assert clock.offset == timedelta(days=7)
    real = datetime.now(UTC)
    assert real + timedelta(days=7) - timedelta(seconds=5) <= clock.now()
    assert clock.now() <= datetime.now(UTC) + timedelta(days=7)


def test_advances_add_up_including_fractions_of_a_second() -> None:
    clock = Clock()

    clock.advance(1.5)
    clock.advance(0.25)
    clock.advance(3600)

    assert clock.offset == timedelta(seconds=3601.75)


def test_two_clocks_move_independently() -> None:
    moved, still = Clock(), Clock()

    moved.advance(60)

    assert still.offset == timedelta(0)
    assert moved.now() - still.now() > timedelta(seconds=59)
