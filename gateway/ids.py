"""Ids in the gateway's paths: one pattern, checked at the edge (422) before any internal call.

Service URLs are built from these ids, so an id may hold only letters, digits, '.', '_' and '-'
(never '/', '?', '#', '%', a space or a control character); gateway.clients refuses the rest too.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Path

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$"

PathId = Annotated[str, Path(pattern=ID_PATTERN,
                             description="An id: letters, digits, '.', '_' and '-'")]
