"""The JSON API under /api (OpenAPI at /docs): one router per resource."""
