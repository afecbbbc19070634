import uvicorn

from simulators.paypal.app import app, settings

uvicorn.run(app, host=settings.http_host, port=settings.http_port, log_config=None)
