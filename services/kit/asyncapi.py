"""Writes the AsyncAPI document of every service: python -m kit.asyncapi OUT_DIR.

Keys are sorted: FastStream lists channels in registration order, which is not the same
in every checkout, and the documents must not change when the contracts do not.
"""

import importlib
import json
import sys
from pathlib import Path

SERVICES = ("orders", "inventory", "claims", "coupons", "integrations")


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for name in SERVICES:
        module = importlib.import_module(f"{name}.app")
        spec = module.asyncapi.to_specification().to_jsonable()
        (out / f"{name}.json").write_text(json.dumps(spec, indent=2, ensure_ascii=False, sort_keys=True) + "\n")
        print(f"wrote {out / f'{name}.json'}")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "contracts/asyncapi"))
