"""배송조회 on the gateway's order pages: which sections ask integrations, and a failing
integrations service leaves the page without the card instead of failing it."""

from __future__ import annotations

from typing import Any

from gateway.clients import ServiceError
from gateway.orders import parcels_of


class Integrations:
    def __init__(self, answer: dict[str, Any] | None) -> None:
        self.answer = answer
        self.calls: list[str] = []

    async def get(self, path: str, **_: Any) -> Any:
        self.calls.append(path)
        if self.answer is None:
            raise ServiceError(503, "unavailable", "{service} service unavailable",
                               service="integrations")
        return self.answer


class Services:
    def __init__(self, answer: dict[str, Any] | None) -> None:
        self.integrations = Integrations(answer)


def order(*sections: tuple[str, str, str]) -> dict[str, Any]:
    return {"order_id": "o1", "sections": [
        {"section_id": sid, "status": status, "invoice_no": invoice, "claim": None}
        for sid, status, invoice in sections]}


def parcel(sid: str) -> dict[str, Any]:
    return {"section_id": sid, "events": []}


async def test_only_shipped_sections_are_tracked_and_shown() -> None:
    services = Services({"parcels": [parcel("S1"), parcel("S2"), parcel("S3")]})
    got = await parcels_of(services, order(("S1", "SHIPPING", "1"), ("S2", "DELIVERED", "2"),  # type: ignore[arg-type]
                                           ("S3", "CONFIRMED", "3")))
    assert [p["section_id"] for p in got] == ["S1", "S2"]
    assert services.integrations.calls == ["/tracking/o1"]


async def test_an_order_not_shipped_does_not_ask() -> None:
    services = Services({"parcels": []})
    assert await parcels_of(services, order(("S1", "PREPARING", "")),) == []  # type: ignore[arg-type]
    assert services.integrations.calls == []


async def test_integrations_down_means_no_card_not_an_error() -> None:
    services = Services(None)
    assert await parcels_of(services, order(("S1", "SHIPPING", "1"))) == []  # type: ignore[arg-type]
    assert services.integrations.calls == ["/tracking/o1"]
