import uvicorn

from gateway.app import app, settings

uvicorn.run(app, host="0.0.0.0", port=settings.http_port, log_config=None)
