import uvicorn

from gateway.app import app, settings

uvicorn.run(app, host=settings.http_host, port=settings.http_port, log_config=None,
            proxy_headers=True, forwarded_allow_ips=settings.forwarded_allow_ips)
