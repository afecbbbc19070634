"""The real local stack for integration, end-to-end and browser tests.

Kafka and MongoDB come from (in order): KAFKA_BOOTSTRAP_SERVERS / MONGODB_URL in the environment;
testcontainers when OMS_TESTCONTAINERS=1 and Docker runs; else deploy/local/infra.sh on ports of
their own (a fresh data directory under var/test). Services run as real processes.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from contextlib import suppress
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
# OMS_TEST_SLOT lets two test sessions run side by side on one machine (other ports, other data).
SLOT = int(os.environ.get("OMS_TEST_SLOT", "0"))
VAR = ROOT / "var" / f"test{SLOT or ''}"
_BASE = 18000 + 1000 * SLOT
# The partner simulators first, the gateway last (start order).
PORTS = {"pgsim": _BASE + 190, "naversim": _BASE + 191, "talksim": _BASE + 192,
         "trackersim": _BASE + 193, "paypalsim": _BASE + 195, "orders": _BASE + 101, "inventory": _BASE + 102,
         "claims": _BASE + 103, "coupons": _BASE + 104, "integrations": _BASE + 105,
         "gateway": _BASE}
MODULES = {"pgsim": "simulators.pg", "naversim": "simulators.naverpay",
           "talksim": "simulators.talkcheckout", "trackersim": "simulators.tracker",
           "paypalsim": "simulators.paypal"}
KAFKA_PORT = 29092 + 10 * SLOT
MONGO_PORT = 28018 + 10 * SLOT
PG_SECRET = "test-pg-secret"
PG_API_KEY = "test-pg-api-key"
TRACKER_CLIENT_ID = "test-tracker-client"
TRACKER_CLIENT_SECRET = "test-tracker-secret"
PAYPAL_CLIENT_ID = "test-paypal-client"
PAYPAL_CLIENT_SECRET = "test-paypal-secret"
PAYPAL_WEBHOOK_ID = "WH-TEST-4RT84528CB9263218"
PAYPAL_KRW_PER_USD = "1350"
SERVICE_TOKEN = "test-service-token"
# What every internal call carries; tests talk to the services as the gateway does.
SERVICE_HEADERS = {"x-service-token": SERVICE_TOKEN}
# Idle connections are dropped before the servers close theirs (uvicorn: after 5 s): a request
# sent on a connection the server is closing dies with "server disconnected".
LIMITS = httpx.Limits(keepalive_expiry=2.0)


class Infra:
    def __init__(self) -> None:
        self.kafka = os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "")
        self.mongo = os.environ.get("MONGODB_URL", "")
        self._containers: list[object] = []
        self._script = False

    def start(self) -> None:
        if self.kafka and self.mongo:
            return
        if os.environ.get("OMS_TESTCONTAINERS") == "1":
            self._start_containers()
            return
        shutil.rmtree(VAR, ignore_errors=True)
        env = {**os.environ, "OMS_VAR": str(VAR), "OMS_KAFKA_PORT": str(KAFKA_PORT),
               "OMS_MONGO_PORT": str(MONGO_PORT)}
        if self.kafka:
            env["KAFKA_BOOTSTRAP_SERVERS"] = self.kafka
        if self.mongo:
            env["MONGODB_URL"] = self.mongo
        subprocess.run([ROOT / "deploy/local/infra.sh", "start"], env=env, check=True,
                       stdout=subprocess.DEVNULL)
        self._script = True
        self.kafka = self.kafka or f"127.0.0.1:{KAFKA_PORT}"
        self.mongo = self.mongo or f"mongodb://127.0.0.1:{MONGO_PORT}/?directConnection=true"

    def _start_containers(self) -> None:
        from testcontainers.kafka import KafkaContainer  # type: ignore[import-not-found]
        from testcontainers.mongodb import MongoDbContainer  # type: ignore[import-not-found]

        kafka = KafkaContainer("apache/kafka:4.1.1").with_kraft()
        mongo = MongoDbContainer("mongo:8.0").with_command("--replSet rs0")
        kafka.start()
        mongo.start()
        self._containers = [kafka, mongo]
        self.kafka = self.kafka or kafka.get_bootstrap_server()
        mongo.exec('mongosh --quiet --eval "rs.initiate()"')
        host, port = mongo.get_container_host_ip(), mongo.get_exposed_port(27017)
        self.mongo = self.mongo or f"mongodb://{host}:{port}/?directConnection=true"

    def stop(self) -> None:
        for c in self._containers:
            c.stop()  # type: ignore[attr-defined]
        if self._script:
            subprocess.run([ROOT / "deploy/local/infra.sh", "stop"],
                           env={**os.environ, "OMS_VAR": str(VAR)}, check=False,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


class Stack:
    """Every service and the gateway as separate processes; tests may stop and restart any."""

    def __init__(self, infra: Infra) -> None:
        self.infra = infra
        self.procs: dict[str, subprocess.Popen[bytes]] = {}
        (VAR / "logs").mkdir(parents=True, exist_ok=True)

    def url(self, name: str) -> str:
        return f"http://127.0.0.1:{PORTS[name]}"

    def client(self, name: str, timeout: float = 30) -> httpx.AsyncClient:
        """A client of one internal service, carrying the service credential."""
        return httpx.AsyncClient(base_url=self.url(name), timeout=timeout,
                                 headers=SERVICE_HEADERS, limits=LIMITS)

    def env(self, name: str) -> dict[str, str]:
        env = {
            **os.environ,
            "KAFKA_BOOTSTRAP_SERVERS": self.infra.kafka,
            "MONGODB_URL": self.infra.mongo,
            "HTTP_PORT": str(PORTS[name]),
            "ALLOW_CLOCK_CONTROL": "true",
            "SCHEDULER_INTERVAL_SECONDS": "0.3",
            "OUTBOX_POLL_SECONDS": "0.2",
            "SERVICE_TOKEN": SERVICE_TOKEN,
            "PG_WEBHOOK_SECRET": PG_SECRET,
            "PG_API_URL": self.url("pgsim"),
            "PG_API_KEY": PG_API_KEY,
            "PG_CHECKOUT_ORIGIN": self.url("pgsim"),
            "PGSIM_HTTP_PORT": str(PORTS["pgsim"]),
            "PGSIM_PUBLIC_URL": self.url("pgsim"),
            "PGSIM_MONGODB_URL": self.infra.mongo,
            "PGSIM_API_KEY": PG_API_KEY,
            "PGSIM_WEBHOOK_SECRET": PG_SECRET,
            "PGSIM_WEBHOOK_URL": f"{self.url('integrations')}/webhooks/pg",
            "NAVERSIM_HTTP_PORT": str(PORTS["naversim"]),
            "NAVERSIM_PUBLIC_URL": self.url("naversim"),
            "NAVERSIM_MONGODB_URL": self.infra.mongo,
            "NAVERPAY_API_URL": f"{self.url('naversim')}/external",
            "NAVERPAY_ORDER_REGISTER_URL": f"{self.url('naversim')}/_sim/orders",
            "NAVERPAY_CHECKOUT_ORIGIN": self.url("naversim"),
            "NAVERPAY_POLL_SECONDS": "0.3",
            "TALKSIM_HTTP_PORT": str(PORTS["talksim"]),
            "TALKSIM_PUBLIC_URL": self.url("talksim"),
            "TALKSIM_MONGODB_URL": self.infra.mongo,
            "TALKCHECKOUT_API_URL": f"{self.url('talksim')}/external",
            "TALKCHECKOUT_ORDER_REGISTER_URL": f"{self.url('talksim')}/_sim/orders",
            "TALKCHECKOUT_CHECKOUT_ORIGIN": self.url("talksim"),
            "TALKCHECKOUT_POLL_SECONDS": "0.3",
            "TRACKERSIM_HTTP_PORT": str(PORTS["trackersim"]),
            "TRACKERSIM_MONGODB_URL": self.infra.mongo,
            "TRACKERSIM_CLIENT_ID": TRACKER_CLIENT_ID,
            "TRACKERSIM_CLIENT_SECRET": TRACKER_CLIENT_SECRET,
            # Every parcel the suite ships and never delivers is polled on: a quota well above
            # what that needs, so no test waits on another's polls.
            "TRACKERSIM_RATE": "500",
            "TRACKERSIM_BURST": "1000",
            "TRACKING_API_URL": f"{self.url('trackersim')}/graphql",
            "TRACKING_CLIENT_ID": TRACKER_CLIENT_ID,
            "TRACKING_CLIENT_SECRET": TRACKER_CLIENT_SECRET,
            "TRACKING_FIRST_POLL_SECONDS": "0.3",
            "TRACKING_MAX_INTERVAL_SECONDS": "6",
            "TRACKING_CALLBACK_URL": f"{self.url('integrations')}/webhooks/tracker",
            "TRACKING_TICK_SECONDS": "0.5",
            "TRACKING_BATCH": "20",
            "PAYPALSIM_HTTP_PORT": str(PORTS["paypalsim"]),
            "PAYPALSIM_PUBLIC_URL": self.url("paypalsim"),
            "PAYPALSIM_MONGODB_URL": self.infra.mongo,
            "PAYPALSIM_CLIENT_ID": PAYPAL_CLIENT_ID,
            "PAYPALSIM_CLIENT_SECRET": PAYPAL_CLIENT_SECRET,
            "PAYPALSIM_WEBHOOK_ID": PAYPAL_WEBHOOK_ID,
            "PAYPALSIM_WEBHOOK_URL": f"{self.url('integrations')}/webhooks/paypal",
            "PAYPAL_ENABLED": "true",
            "PAYPAL_API_URL": self.url("paypalsim"),
            "PAYPAL_CLIENT_ID": PAYPAL_CLIENT_ID,
            "PAYPAL_CLIENT_SECRET": PAYPAL_CLIENT_SECRET,
            "PAYPAL_WEBHOOK_ID": PAYPAL_WEBHOOK_ID,
            "PAYPAL_CERT_HOSTS": "127.0.0.1",
            "PAYPAL_KRW_PER_USD": PAYPAL_KRW_PER_USD,
            "PAYPAL_CHECKOUT_ORIGIN": self.url("paypalsim"),
            "PAYPAL_RELEASE_SECONDS": "0.5",
            "PUBLIC_URL": self.url("gateway") if name == "gateway" else self.url(name),
            "SESSION_SECRET": "test-session-secret",
            # Wide enough that a test sees a budget-bound coupon search under way and other buyers
            # answered meanwhile, on a loaded machine.
            "OPTIMIZER_BUDGET_MS": "4000",
        }
        for svc in ("orders", "inventory", "claims", "coupons", "integrations"):
            env[f"{svc.upper()}_URL"] = self.url(svc)
        return env

    def start(self, *names: str) -> None:
        for name in names or tuple(PORTS):
            if name in self.procs and self.procs[name].poll() is None:
                continue
            log = open(VAR / "logs" / f"{name}.log", "ab")  # noqa: SIM115
            self.procs[name] = subprocess.Popen(
                [sys.executable, "-m", MODULES.get(name, name)], cwd=ROOT, env=self.env(name), stdout=log,
                stderr=subprocess.STDOUT)
        for name in names or tuple(PORTS):
            self.wait_healthy(name)

    def wait_healthy(self, name: str, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.procs[name].poll() is not None:
                raise RuntimeError(f"{name} exited; see {VAR / 'logs' / (name + '.log')}")
            with suppress(httpx.HTTPError):
                if httpx.get(f"{self.url(name)}/health", timeout=2).status_code == 200:
                    return
            time.sleep(0.2)
        raise TimeoutError(f"{name} not healthy after {timeout} s")

    def stop(self, name: str, kill: bool = False) -> None:
        proc = self.procs.pop(name, None)
        if proc is None or proc.poll() is not None:
            return
        proc.send_signal(signal.SIGKILL if kill else signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()

    def stop_all(self) -> None:
        for name in list(self.procs):
            self.stop(name)
