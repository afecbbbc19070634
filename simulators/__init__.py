"""Faithful simulators of the shop's partners, each a process of its own.

They play the partner over HTTP exactly as the real one does (its API, its signed webhooks, its
pages for the buyer), so the adapters in services/integrations cannot tell them apart. `make up`
and the tests start them; `deploy/` never does.
"""
