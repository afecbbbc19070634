"""Max discount at checkout ("주문서 최대 할인"): the exact best combination of coupons.

`best_coupons(instance)` returns a proven optimum (see optimizer/solver.py for the method and
architecture-optimizer.md for why it is exact). Command line, from the repository root:

    python -m coupons.best INSTANCE.json

prints the answer as JSON; bad input is reported on stderr with exit code 2.
"""

from __future__ import annotations

import json
import sys

from pydantic import ValidationError

from coupons.optimizer.model import Answer, Assignment, Coupon, Instance, Line
from coupons.optimizer.rules import Problem
from coupons.optimizer.solver import solve

__all__ = ["Answer", "Assignment", "Coupon", "Instance", "Line", "best_coupons", "best_within",
           "main"]


def best_coupons(instance: Instance) -> Answer:
    """The largest total discount over every valid combination, with one combination reaching it."""
    return best_within(instance, None)[0]


def best_within(instance: Instance, seconds: float | None) -> tuple[Answer, bool, int]:
    """(answer, proven, bound): the optimum (proven) when the search ends within `seconds`,
    otherwise the best valid combination found by then and the bound the search proved
    (no combination gives more)."""
    pb = Problem.build(instance)
    sol = solve(pb, seconds)
    if pb.value(sol.assign, sol.cart, sol.ship) != sol.total:  # cheap self-check of the answer
        raise RuntimeError("internal error: the combination found does not reach its total")
    ids = [c.id for c in instance.coupons]
    product = {instance.lines[i].id: ids[k] for i, k in sorted(sol.assign.items())}
    answer = Answer(
        total_discount=sol.total,
        assignment=Assignment(
            product=product,
            cart=ids[sol.cart] if sol.cart is not None else None,
            shipping=ids[sol.ship] if sol.ship is not None else None,
        ),
    )
    return answer, sol.proven, sol.bound


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m coupons.best INSTANCE.json", file=sys.stderr)
        return 2
    try:
        with open(args[0], encoding="utf-8") as f:
            text = f.read()
        instance = Instance.model_validate_json(text)
    except OSError as e:
        print(f"cannot read {args[0]}: {e.strerror or e}", file=sys.stderr)
        return 2
    except ValidationError as e:
        print(f"invalid instance {args[0]}:", file=sys.stderr)
        for err in e.errors():
            where = ".".join(str(p) for p in err["loc"]) or "(document)"
            print(f"  {where}: {err['msg']}", file=sys.stderr)
        return 2
    print(json.dumps(best_coupons(instance).model_dump(), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
