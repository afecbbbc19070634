"""The gateway's templates wire behaviour through static scripts (/static/app.js and one file per
page feature), never inline handlers or inline script: the Content-Security-Policy forbids both."""

from __future__ import annotations

import re
from pathlib import Path

GATEWAY = Path(__file__).parents[2] / "gateway"
TEMPLATES = GATEWAY / "templates"
SCRIPT = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)
SRC = re.compile(r'\ssrc="/static/([^"]+)"')
DATA = re.compile(r'\stype="application/json"')


def lines_of_templates() -> list[tuple[str, str]]:
    return [(f"{p.relative_to(TEMPLATES)}:{n}", line)
            for p in sorted(TEMPLATES.rglob("*.html"))
            for n, line in enumerate(p.read_text().splitlines(), 1)]


def test_no_template_has_an_inline_event_handler() -> None:
    handler = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE)
    assert [where for where, line in lines_of_templates() if handler.search(line)] == []


def test_no_template_has_an_executable_inline_script() -> None:
    """A <script> loads a static file or holds JSON data (never run); nothing else."""
    scripts = [(where, m.group(1)) for where, line in lines_of_templates()
               for m in SCRIPT.finditer(line)]
    assert len(scripts) > 1, "the check sees the templates' script tags"
    assert [where for where, attrs in scripts
            if not SRC.search(attrs) and not DATA.search(attrs)] == []


def test_every_script_a_template_loads_exists() -> None:
    loaded = {m.group(1) for _, line in lines_of_templates() for s in SCRIPT.finditer(line)
              if (m := SRC.search(s.group(1)))}
    assert "app.js" in loaded
    assert [name for name in sorted(loaded) if not (GATEWAY / "static" / name).is_file()] == []


def test_every_form_that_posts_carries_the_csrf_token() -> None:
    missing = []
    for p in sorted(TEMPLATES.rglob("*.html")):
        path, text = p.relative_to(TEMPLATES), p.read_text()
        for form in re.finditer(r"<form\b[^>]*>", text, re.S):  # one per form tag
            if 'method="post"' in form.group() and not text[form.end():].startswith(
                    '<input type="hidden" name="csrf_token" value="{{ csrf }}">'):
                missing.append(f"{path}: {form.group()[:80]}")
    assert not missing
