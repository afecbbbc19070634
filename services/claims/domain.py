"""Why a section refuses a claim (SPEC §3, §5); which claims it accepts is
`contracts.claimability`, the rule orders moves units by too. Pure."""

from contracts.claims.v1 import ClaimKind
from contracts.orders.v1 import SectionStatus

S = SectionStatus

REFUSAL: dict[SectionStatus, str] = {
    S.CONFIRMED: "구매확정된 주문은 반품/교환을 접수할 수 없습니다.",
    S.CANCELLED: "취소된 주문입니다.",
    S.RETURNED: "반품이 완료된 상품입니다.",
    S.EXCHANGED: "교환이 완료된 상품입니다.",
}


def refusal(status: str, kind: ClaimKind) -> str:
    """Why `kind` is refused on a section in `status` (English; the gateway translates)."""
    if status == S.CONFIRMED:
        return "the purchase is confirmed: returns and exchanges are no longer accepted"
    if status == S.CANCELLED:
        return "the section is cancelled: nothing to claim"
    if status in ("RETURNED", "EXCHANGED"):
        return f"the units were already {status.lower()}: nothing to claim"
    if kind is ClaimKind.CANCEL:
        return f"the section is {status}: it has shipped, request a return instead"
    return f"the section is {status}: it has not shipped yet, cancel it instead"
