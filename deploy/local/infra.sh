#!/usr/bin/env bash
# Local infrastructure without Docker: a real Apache Kafka broker (KRaft, single node) and a
# MongoDB-protocol server, each a separate process with on-disk storage.
#
#   deploy/local/infra.sh start|stop|status|env
#
# KAFKA_BOOTSTRAP_SERVERS / MONGODB_URL already set in the environment win: nothing is started.
# MongoDB server choice (OMS_MONGO_SERVER=auto|mongod|secantus-rs|secantus-py, default auto):
# `mongod` on PATH, else SecantusDB's Rust server (crate secantus-mdb, built once with cargo and
# cached), else SecantusDB's Python server from the project's venv.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
CACHE=${OMS_CACHE:-$HOME/.cache/oms}
VAR=${OMS_VAR:-$ROOT/var}
KAFKA_VERSION=$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$ROOT/deploy/local/kafka/pom.xml")
KAFKA_PORT=${OMS_KAFKA_PORT:-19092}
MONGO_PORT=${OMS_MONGO_PORT:-27018}
SECANTUS_CRATE_VERSION=0.5.3-beta.196
SECANTUS_RUST=1.98
ENV_FILE="$VAR/infra.env"
mkdir -p "$VAR/logs" "$VAR/run" "$CACHE"

say() { printf '[infra] %s\n' "$*" >&2; }

wait_port() { # host port seconds what
  local deadline=$((SECONDS + $3))
  until (echo >"/dev/tcp/$1/$2") 2>/dev/null; do
    if ((SECONDS > deadline)); then say "$4 did not open $1:$2 in $3 s; see $VAR/logs"; return 1; fi
    sleep 0.3
  done
}

running() { [ -f "$VAR/run/$1.pid" ] && kill -0 "$(cat "$VAR/run/$1.pid")" 2>/dev/null; }

kafka_libs() {
  local libs="$CACHE/kafka-$KAFKA_VERSION/libs"
  if [ ! -f "$libs/.complete" ]; then
    say "resolving org.apache.kafka:kafka_2.13:$KAFKA_VERSION and its dependencies with mvn"
    rm -rf "$libs"
    mvn -q -B -f "$ROOT/deploy/local/kafka/pom.xml" dependency:copy-dependencies \
      -DincludeScope=runtime -DoutputDirectory="$libs" >&2
    touch "$libs/.complete"
  fi
  echo "$libs"
}

start_kafka() {
  if running kafka; then return; fi
  local libs data=$VAR/kafka conf=$VAR/kafka.properties
  libs=$(kafka_libs)
  cat >"$conf" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$((KAFKA_PORT + 1))
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$((KAFKA_PORT + 1))
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$data
num.partitions=6
offsets.topic.replication.factor=1
offsets.topic.num.partitions=6
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=true
PROPS
  local java=(java -Xms256m -Xmx1g -XX:+UseG1GC -Dlog4j2.configurationFile="$ROOT/deploy/local/log4j2.properties" -cp "$libs/*")
  if [ ! -f "$data/meta.properties" ]; then
    mkdir -p "$data"
    "${java[@]}" kafka.tools.StorageTool format -t "$("${java[@]}" kafka.tools.StorageTool random-uuid)" -c "$conf" >&2
  fi
  say "starting Kafka $KAFKA_VERSION (KRaft) on 127.0.0.1:$KAFKA_PORT"
  nohup "${java[@]}" kafka.Kafka "$conf" >"$VAR/logs/kafka.log" 2>&1 &
  echo $! >"$VAR/run/kafka.pid"
  wait_port 127.0.0.1 "$KAFKA_PORT" 90 Kafka
}

secantus_rs_bin() {
  local bin="$CACHE/secantus-rs-$SECANTUS_CRATE_VERSION/bin/secantusd-rs"
  if [ ! -x "$bin" ] && command -v cargo >/dev/null; then
    say "building SecantusDB's Rust server (crate secantus-mdb $SECANTUS_CRATE_VERSION) once; cached in $CACHE"
    local toolchain=()
    if command -v rustup >/dev/null; then
      rustup toolchain install "$SECANTUS_RUST" --profile minimal >&2 && toolchain=("+$SECANTUS_RUST")
    fi
    local started=$SECONDS
    cargo "${toolchain[@]}" install secantus-mdb --version "$SECANTUS_CRATE_VERSION" --locked \
      --root "$CACHE/secantus-rs-$SECANTUS_CRATE_VERSION" >"$VAR/logs/secantus-build.log" 2>&1 \
      || say "secantus-rs did not build (see $VAR/logs/secantus-build.log)"
    say "secantus-rs build took $((SECONDS - started)) s"
  fi
  [ -x "$bin" ] && echo "$bin"
}

start_mongo() {
  if running mongo; then return; fi
  local choice=${OMS_MONGO_SERVER:-auto} data=$VAR/mongo bin=""
  mkdir -p "$data"
  if [[ $choice == auto || $choice == mongod ]] && command -v mongod >/dev/null; then
    say "starting mongod (replica set rs0) on 127.0.0.1:$MONGO_PORT"
    nohup mongod --replSet rs0 --bind_ip 127.0.0.1 --port "$MONGO_PORT" --dbpath "$data" \
      >"$VAR/logs/mongo.log" 2>&1 &
    echo $! >"$VAR/run/mongo.pid"; echo mongod >"$VAR/run/mongo.kind"
    wait_port 127.0.0.1 "$MONGO_PORT" 60 mongod
    "$ROOT/.venv/bin/python" - "$MONGO_PORT" <<'PY'
import sys, pymongo
c = pymongo.MongoClient(f"mongodb://127.0.0.1:{sys.argv[1]}/?directConnection=true")
try:
    c.admin.command("replSetInitiate", {"_id": "rs0", "members": [{"_id": 0, "host": f"127.0.0.1:{sys.argv[1]}"}]})
except pymongo.errors.OperationFailure as e:
    if "already initialized" not in str(e): raise
PY
    return
  fi
  if [[ $choice == auto || $choice == secantus-rs ]] && bin=$(secantus_rs_bin); then
    say "starting secantusd-rs on 127.0.0.1:$MONGO_PORT"
    nohup "$bin" --host 127.0.0.1 --port "$MONGO_PORT" --storage-path "$data" --cache-size 1G \
      >"$VAR/logs/mongo.log" 2>&1 &
    echo $! >"$VAR/run/mongo.pid"; echo secantus-rs >"$VAR/run/mongo.kind"
  else
    say "starting secantusd-py on 127.0.0.1:$MONGO_PORT"
    nohup "$ROOT/.venv/bin/secantusd-py" --host 127.0.0.1 --port "$MONGO_PORT" \
      --storage-path "$data" --log-level WARNING >"$VAR/logs/mongo.log" 2>&1 &
    echo $! >"$VAR/run/mongo.pid"; echo secantus-py >"$VAR/run/mongo.kind"
  fi
  wait_port 127.0.0.1 "$MONGO_PORT" 60 "MongoDB server"
}

stop_one() {
  if running "$1"; then
    local pid; pid=$(cat "$VAR/run/$1.pid")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$pid" 2>/dev/null || true
    say "stopped $1"
  fi
  rm -f "$VAR/run/$1.pid"
}

write_env() {
  local kafka=${KAFKA_BOOTSTRAP_SERVERS:-127.0.0.1:$KAFKA_PORT}
  local mongo=${MONGODB_URL:-mongodb://127.0.0.1:$MONGO_PORT/?directConnection=true}
  local kind; kind=$(cat "$VAR/run/mongo.kind" 2>/dev/null || echo external)
  printf 'export KAFKA_BOOTSTRAP_SERVERS=%q\nexport MONGODB_URL=%q\nexport OMS_MONGO_KIND=%q\n' \
    "$kafka" "$mongo" "$kind" >"$ENV_FILE"
}

case ${1:-} in
  start)
    [ -n "${KAFKA_BOOTSTRAP_SERVERS:-}" ] && say "using Kafka at $KAFKA_BOOTSTRAP_SERVERS" || start_kafka
    [ -n "${MONGODB_URL:-}" ] && say "using MongoDB at $MONGODB_URL" || start_mongo
    write_env
    cat "$ENV_FILE"
    ;;
  stop)
    stop_one kafka
    stop_one mongo
    ;;
  status)
    for p in kafka mongo; do running $p && echo "$p: running" || echo "$p: stopped"; done
    ;;
  env)
    cat "$ENV_FILE"
    ;;
  clean)
    "$0" stop
    rm -rf "$VAR/kafka" "$VAR/mongo" "$VAR/kafka.properties"
    ;;
  *)
    echo "usage: $0 start|stop|status|env|clean" >&2
    exit 2
    ;;
esac
