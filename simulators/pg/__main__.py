import uvicorn

from simulators.pg.app import app, settings

uvicorn.run(app, host=settings.http_host, port=settings.http_port, log_config=None)
