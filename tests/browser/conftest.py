"""Playwright fixtures for the browser tests: Debian chromium (never a downloaded browser), one
browser per session, a fresh context (cookies, session) per test, screenshots under
test-artifacts/screenshots/ (gitignored)."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest
from playwright.async_api import Browser, BrowserContext, Page, async_playwright, expect

from tests.stack import ROOT, Stack

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--headless=new", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
SHOTS = ROOT / "test-artifacts" / "screenshots"

expect.set_options(timeout=15_000)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "/browser/" in str(item.path):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
async def browser() -> AsyncIterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium is not installed (apt-get install chromium fonts-nanum)")
    async with async_playwright() as pw:
        b = await pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        await b.close()


@pytest.fixture
def gateway(stack: Stack) -> str:
    return stack.url("gateway")


Shot = Callable[[Page, str], Awaitable[Path]]


@pytest.fixture
async def context(browser: Browser, gateway: str) -> AsyncIterator[BrowserContext]:
    ctx = await browser.new_context(base_url=gateway, locale="ko-KR", timezone_id="Asia/Seoul",
                                    viewport={"width": 1280, "height": 900})
    ctx.set_default_timeout(15_000)
    yield ctx
    await ctx.close()


@pytest.fixture
async def page(context: BrowserContext) -> Page:
    return await context.new_page()


@pytest.fixture
def shot(request: pytest.FixtureRequest) -> Shot:
    """`await shot(page, "step")` saves test-artifacts/screenshots/<test>-NN-step.png."""
    test = re.sub(r"[^A-Za-z0-9_-]+", "_", request.node.name)
    counter = iter(range(1, 100))

    async def take(page: Page, name: str) -> Path:
        SHOTS.mkdir(parents=True, exist_ok=True)
        path = SHOTS / f"{test}-{next(counter):02d}-{name}.png"
        await page.screenshot(path=str(path), full_page=True)
        return path

    return take


async def login(page: Page, user_id: str, password: str, admin: bool = False) -> None:
    await page.goto("/admin/login" if admin else "/login")
    await page.fill("#user_id", user_id)
    await page.fill("#password", password)
    await page.click("#login")
    await expect(page.locator("header .me")).to_be_visible()
