"""Which claim a section accepts in each status (SPEC §3, §5). Pure.

One rule for both sides: the claims service offers and checks claims by it, the orders service
moves the claimed units by it, so a claim one accepts the other never refuses for its status.
"""

from __future__ import annotations

from contracts.claims.v1 import ClaimKind
from contracts.orders.v1 import SectionStatus

S = SectionStatus
K = ClaimKind

# status -> claim kinds a buyer may open on a section in it
CLAIMS_BY_STATUS: dict[SectionStatus, tuple[ClaimKind, ...]] = {
    S.PAYMENT_PENDING: (K.CANCEL,),
    S.PREPARING: (K.CANCEL,),
    S.READY_TO_SHIP: (K.CANCEL,),
    S.SHIPPING: (K.RETURN, K.EXCHANGE),
    S.DELIVERED: (K.RETURN, K.EXCHANGE),
    S.CONFIRMED: (),
    S.CANCELLED: (),
    S.RETURNED: (),
    S.EXCHANGED: (),
}


def allowed_claims(status: SectionStatus) -> tuple[ClaimKind, ...]:
    return CLAIMS_BY_STATUS.get(status, ())
