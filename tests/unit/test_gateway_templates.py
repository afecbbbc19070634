"""The gateway's templates wire behaviour through /static/app.js, never inline handlers."""

from __future__ import annotations

import re
from pathlib import Path

TEMPLATES = Path(__file__).parents[2] / "gateway" / "templates"


def test_no_template_has_an_inline_event_handler() -> None:
    handler = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE)
    found = [f"{p.relative_to(TEMPLATES)}:{n}"
             for p in sorted(TEMPLATES.rglob("*.html"))
             for n, line in enumerate(p.read_text().splitlines(), 1) if handler.search(line)]
    assert found == []
