"""The Talk Checkout simulator: the Naver Pay simulator's order model and API shapes, with Talk
Checkout's rules and branding (TALKSIM_* settings; simulators/naverpay/app.py)."""

import os

import uvicorn

os.environ["SIM_PARTNER"] = "TALKCHECKOUT"

from simulators.naverpay.app import app, settings  # noqa: E402 (the partner is chosen first)

uvicorn.run(app, host=settings.http_host, port=settings.http_port, log_config=None)
