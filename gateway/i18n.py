"""Korean by default, English second, from gettext catalogs (Babel).

Message ids are stable keys, not English sentences: `PAYMENT_PENDING`, `msg_job_created`,
`err_section_cannot_move`. Their texts live in `locale/{ko,en}/LC_MESSAGES/messages.po`, with
`%(name)s` placeholders. `make i18n` extracts the ids the templates and the code use
(`_("...")`, `t("...")`, `flash(request, kind, "...")`) into `locale/messages.pot` and merges
them into both catalogs; `make install` compiles them (a catalog not compiled yet is compiled in
memory at start-up). tests/unit/test_i18n.py fails on an id without a Korean text and on a
service error key without one.

Errors: a service answers `{error, message, key, params}`; a page shows the catalog's text for
`err_<key>` (else for `err_<error>`, the broad kind) filled with the params, never the service's
English. Status names among the params (`SHIPPING`) are shown in the page's language.

Templates get `_` (gettext, through `jinja2.ext.i18n`) and `t`: `t.money(n)`, `t.date(iso)`,
`t.deadline(iso)` format with `babel.numbers` / `babel.dates`, always in Korea time
(Asia/Seoul), whatever the server's time zone.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from datetime import datetime
from io import BytesIO
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_currency, format_decimal
from babel.support import Translations

KST = ZoneInfo("Asia/Seoul")
UTC = ZoneInfo("UTC")
LANGUAGES = ("ko", "en")
LOCALE_DIR = Path(__file__).parent / "locale"
# A parameter value shown translated: an enum name such as SHIPPING or CHANGE_OF_MIND.
ENUM_NAME = re.compile(r"[A-Z][A-Z0-9_]+")


def language(lang: str | None) -> str:
    return lang if lang in LANGUAGES else "ko"


@functools.cache
def translations(lang: str) -> Translations:
    """The compiled catalog of a language; compiled from its .po in memory when the .mo is
    missing or older (a checkout where `make install` has not compiled it yet)."""
    po = LOCALE_DIR / lang / "LC_MESSAGES" / "messages.po"
    mo = po.with_suffix(".mo")
    if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
        with mo.open("rb") as f:
            return Translations(f, domain="messages")
    with po.open("rb") as f:
        catalog = read_po(f, locale=lang)
    buf = BytesIO()
    write_mo(buf, catalog)
    buf.seek(0)
    return Translations(buf, domain="messages")


class Translator:
    """The catalog of one language, with the formatting the pages need."""

    def __init__(self, lang: str) -> None:
        self.lang = language(lang)
        self.catalog = translations(self.lang)
        self._ids = self.catalog._catalog

    def known(self, msgid: str) -> bool:
        return msgid in self._ids

    def gettext(self, msgid: str) -> str:
        return self.catalog.gettext(msgid)

    def __call__(self, msgid: str | None, **params: object) -> str:
        """The text of `msgid` (the id itself when the catalog lacks it), filled with `params`."""
        if not msgid:
            return ""
        text = self.catalog.gettext(msgid)
        return text % self._shown(params) if params else text

    fmt = __call__

    def _shown(self, params: Mapping[str, object]) -> dict[str, object]:
        """Parameter values as the page shows them: enum names translated, numbers with
        thousands separators, lists joined, a `field` by its label."""
        def one(value: object) -> object:
            if isinstance(value, str) and ENUM_NAME.fullmatch(value) and self.known(value):
                return self.gettext(value)
            if isinstance(value, int) and not isinstance(value, bool):
                return format_decimal(value, locale=self.lang)
            return value

        shown = {k: ", ".join(str(one(x)) for x in v) if isinstance(v, list | tuple) else one(v)
                 for k, v in params.items()}
        field = shown.get("field")
        if isinstance(field, str):
            for msgid in (f"field_{field}", f"field_{field.rsplit('.', 1)[-1]}"):
                if self.known(msgid):
                    shown["field"] = self.gettext(msgid)
                    break
        return shown

    def error(self, code: str, key: str | None = None,
              params: Mapping[str, object] | None = None) -> str:
        """A service's (or our own) refusal: the text of its exact case, else of its kind,
        else a generic one; never the service's English."""
        for msgid in (f"err_{key}" if key else "", f"err_{code}"):
            if msgid and self.known(msgid):
                try:
                    return self.gettext(msgid) % self._shown(params or {})
                except (KeyError, ValueError, TypeError):
                    continue  # the text names a value this refusal lacks: use the broader one
        return self.gettext("err_error")

    def flash(self, f: Mapping[str, Any]) -> str:
        """A flash message: a refusal (it has a `key`), else one of our own ids with its
        params."""
        code, params = f.get("code") or "", f.get("params") or {}
        if f.get("key") or not self.known(code):
            return self.error(code, f.get("key"), params)
        return self(code, **params)

    def reason(self, item: Mapping[str, Any]) -> str:
        """Why a bulk job item failed, e.g. "묶음 X-1: 배송중 상태라서 ..." (where: what)."""
        why = item.get("why")
        if not why:
            return str(item.get("reason") or "")  # a job recorded before reasons had keys
        text = self.error("", why.get("key"), why.get("params"))
        if why.get("at") in ("order", "section") and why.get("id"):
            return f"{self('at_' + why['at'], id=why['id'])}: {text}"
        return text

    def row_error(self, e: Mapping[str, Any]) -> str:
        return self(e["code"], value=e.get("value", ""))

    def column(self, key: str, fallback: str) -> str:
        msgid = f"col_{key}"
        return self.gettext(msgid) if self.known(msgid) else fallback

    def source(self, text: str) -> str:
        """A bulk job's source ("tab · search · selected N", "invoice upload · file")."""
        parts = []
        for part in (text or "").split(" · "):
            m = re.fullmatch(r"selected (\d+)", part)
            if m:
                parts.append(self("source_selected", n=m.group(1)))
            elif part == "all":
                parts.append(self("source_all"))
            elif part == "invoice upload":
                parts.append(self("source_upload"))
            else:
                parts.append(self.gettext(part) if self.known(part) else part)
        return " · ".join(parts)

    def money(self, value: int | None) -> str:
        if self.lang == "ko":
            return f"{format_decimal(value or 0, locale='ko')}원"
        return format_currency(value or 0, "KRW", locale="en")

    def date(self, value: str | datetime | None) -> str:
        return kst(value)

    def deadline(self, value: str | datetime | None) -> str:
        """A date with its weekday and time zone, for deadlines buyers must meet."""
        if not value:
            return ""
        pattern = "yyyy-MM-dd (E) HH:mm" if self.lang == "ko" else "EEE yyyy-MM-dd HH:mm"
        return f"{format_datetime(_aware(value), pattern, tzinfo=KST, locale=self.lang)} KST"


@functools.cache
def translator(lang: str) -> Translator:
    return Translator(language(lang))


def _aware(value: str | datetime) -> datetime:
    dt = datetime.fromisoformat(value) if isinstance(value, str) else value
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)  # stored as UTC without an offset


def kst(value: str | datetime | None) -> str:
    if not value:
        return ""
    return format_datetime(_aware(value), "yyyy-MM-dd HH:mm", tzinfo=KST, locale="ko")


def krw(value: int) -> str:
    return format_decimal(value, locale="ko")
