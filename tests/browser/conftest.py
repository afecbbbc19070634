"""Playwright fixtures for the browser tests: Debian chromium (never a downloaded browser), one
browser per session, a fresh context (cookies, session) per test, screenshots under
test-artifacts/screenshots/ (gitignored)."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    async_playwright,
    expect,
)

from tests.stack import ROOT, Stack

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--headless=new", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
SHOTS = ROOT / "test-artifacts" / "screenshots"
HAVE_CHROMIUM = Path(CHROMIUM).exists()

expect.set_options(timeout=15_000)


@pytest.fixture(scope="session")
async def browser() -> AsyncIterator[Browser]:
    if not HAVE_CHROMIUM:
        pytest.skip("Debian chromium is not installed (apt-get install chromium fonts-nanum)")
    async with async_playwright() as pw:
        b = await pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        await b.close()


@pytest.fixture
def gateway(stack: Stack) -> str:
    return stack.url("gateway")


Shot = Callable[[Page, str], Awaitable[Path]]


FAILED = pytest.StashKey[bool]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item) -> Iterator[None]:
    report = yield
    if report.when == "call":
        item.stash[FAILED] = report.failed
    return report


# What went wrong in a browser profile's pages while a test ran: Content-Security-Policy
# violations (Chromium reports each on the console) and uncaught script errors.
PROBLEMS = "problems"


async def new_context(browser: Browser, gateway: str, **options: Any) -> BrowserContext:
    """A fresh profile; `options` override the desktop defaults (e.g. a phone's viewport)."""
    settings: dict[str, Any] = {"base_url": gateway, "locale": "ko-KR",
                                "timezone_id": "Asia/Seoul",
                                "viewport": {"width": 1280, "height": 900}, **options}
    ctx = await browser.new_context(**settings)
    ctx.set_default_timeout(15_000)
    problems: list[str] = []
    setattr(ctx, PROBLEMS, problems)

    def on_console(msg: ConsoleMessage) -> None:
        if "Content Security Policy" in msg.text:
            problems.append(f"{msg.page.url if msg.page else '?'}: {msg.text}")

    def on_page(page: Page) -> None:
        page.on("pageerror", lambda err: problems.append(f"{page.url}: uncaught {err}"))

    ctx.on("console", on_console)
    ctx.on("page", on_page)
    return ctx


def assert_no_page_problems(ctx: BrowserContext) -> None:
    """No page broke the Content-Security-Policy or threw: the pages' scripts (all in /static)
    ran as written."""
    problems: list[str] = getattr(ctx, PROBLEMS)
    assert problems == [], "\n".join(problems)


@pytest.fixture
async def context(browser: Browser, gateway: str) -> AsyncIterator[BrowserContext]:
    """A fresh browser profile (no cookies, no session) for each test; at the end, no page of it
    violated the Content-Security-Policy or threw an uncaught error."""
    ctx = await new_context(browser, gateway)
    yield ctx
    await ctx.close()
    assert_no_page_problems(ctx)


@pytest.fixture
async def page(context: BrowserContext, request: pytest.FixtureRequest) -> AsyncIterator[Page]:
    p = await context.new_page()
    yield p
    if request.node.stash.get(FAILED, False) and not p.is_closed():
        SHOTS.mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^A-Za-z0-9_-]+", "_", request.node.name)
        await p.screenshot(path=str(SHOTS / f"{name}-FAILED.png"), full_page=True)


@pytest.fixture
async def other_page(browser: Browser, gateway: str) -> AsyncIterator[Callable[[], Awaitable[Page]]]:
    """Pages in further fresh profiles, e.g. the seller's browser next to the buyer's."""
    contexts: list[BrowserContext] = []

    async def open_page() -> Page:
        ctx = await new_context(browser, gateway)
        contexts.append(ctx)
        return await ctx.new_page()

    yield open_page
    for ctx in contexts:
        await ctx.close()
    for ctx in contexts:
        assert_no_page_problems(ctx)


@pytest.fixture
def shot(request: pytest.FixtureRequest) -> Shot:
    """`await shot(page, "step")` saves test-artifacts/screenshots/<test>-NN-step.png."""
    test = re.sub(r"[^A-Za-z0-9_-]+", "_", request.node.name)
    counter = iter(range(1, 100))

    async def take(page: Page, name: str) -> Path:
        SHOTS.mkdir(parents=True, exist_ok=True)
        path = SHOTS / f"{test}-{next(counter):02d}-{name}.png"
        await page.evaluate("window.scrollTo(0, 0)")  # sticky boxes where a user first sees them
        await page.screenshot(path=str(path), full_page=True)
        return path

    return take


async def login(page: Page, user_id: str, password: str, admin: bool = False) -> None:
    await page.goto("/admin/login" if admin else "/login")
    await page.fill("#user_id", user_id)
    await page.fill("#password", password)
    await page.click("#login")
    await expect(page.locator("header .me")).to_be_visible()


@pytest.fixture
async def new_seller(stack: Stack) -> tuple[str, str]:
    """A seller account of its own (its own tabs and columns), so a test that changes the order
    menu never changes what another test sees. Returns (user_id, password)."""
    import uuid

    from pymongo import AsyncMongoClient

    from gateway.auth import Accounts, User

    user_id, password = f"staff-{uuid.uuid4().hex[:8]}", "staff1234"
    client: AsyncMongoClient[dict[str, object]] = AsyncMongoClient(stack.infra.mongo)
    try:
        await Accounts(client["gateway"]).create(
            User(user_id=user_id, role="seller", name="최운영"), password)
    finally:
        await client.close()
    return user_id, password


def accept_dialogs(page: Page) -> list[str]:
    """Accept every confirm() on the page; returns the list their messages are appended to."""
    messages: list[str] = []

    async def accept(dialog: object) -> None:
        messages.append(dialog.message)  # type: ignore[attr-defined]
        await dialog.accept()  # type: ignore[attr-defined]

    page.on("dialog", accept)
    return messages
