"""Why a section refuses a claim (SPEC §3, §5); which claims it accepts is
`contracts.claimability`, the rule orders moves units by too. Pure.

A refusal is a stable reason code (`why`), never text: the claimability answer carries the code,
the refused claim an English DomainError with a key and params; the gateway translates both.
"""

from contracts.claimability import allowed_claims
from contracts.claims.v1 import ClaimKind
from contracts.orders.v1 import SectionStatus
from kit.errors import DomainError

S = SectionStatus

# Why a section in a status accepts no claim at all.
NO_CLAIM: dict[SectionStatus, str] = {
    S.CONFIRMED: "confirmed",
    S.CANCELLED: "cancelled",
    S.RETURNED: "returned",
    S.EXCHANGED: "exchanged",
}
# A section held by an open claim (its claim section) accepts no other.
IN_CLAIM = "in_claim"


def why_refused(status: str, kind: ClaimKind) -> str:
    """The reason code: why `kind` is refused on a section in `status`."""
    known = NO_CLAIM.get(SectionStatus(status)) if status in SectionStatus.__members__ else None
    if known:
        return known
    return "shipped" if kind is ClaimKind.CANCEL else "not_shipped"


def refusal(status: str, kind: ClaimKind) -> DomainError:
    """The error refusing `kind` on a section in `status` (English; the gateway translates its
    key, `not_claimable_<reason code>`)."""
    why = why_refused(status, kind)
    if why == "confirmed":
        return DomainError("not_claimable", "the purchase is confirmed: returns and exchanges are "
                           "no longer accepted", key="not_claimable_confirmed", status=status)
    if why == "cancelled":
        return DomainError("not_claimable", "the section is cancelled: nothing to claim",
                           key="not_claimable_cancelled", status=status)
    if why == "returned":
        return DomainError("not_claimable", "the units were already returned: nothing to claim",
                           key="not_claimable_returned", status=status)
    if why == "exchanged":
        return DomainError("not_claimable", "the units were already exchanged: nothing to claim",
                           key="not_claimable_exchanged", status=status)
    if why == "shipped":
        return DomainError("not_claimable", "the section is {status}: it has shipped, request a "
                           "return instead", key="not_claimable_shipped", status=status)
    return DomainError("not_claimable", "the section is {status}: it has not shipped yet, cancel "
                       "it instead", key="not_claimable_not_shipped", status=status)


def reasons(status: str, held: bool) -> tuple[str, dict[str, str]]:
    """What the claimability view says of a section: why it accepts no claim at all ("" when it
    accepts some), and the reason code of each kind it refuses."""
    known = SectionStatus(status) if status in SectionStatus.__members__ else None
    allowed = allowed_claims(known) if known and not held else ()
    why = IN_CLAIM if held else NO_CLAIM.get(known, "") if known else ""
    refused = {k.value: IN_CLAIM if held else why_refused(status, k)
               for k in ClaimKind if k not in allowed}
    return why, refused
