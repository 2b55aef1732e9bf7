#!/usr/bin/env bash
# A real Spark standalone cluster on this machine, from the project's own dependency jars (no Spark download):
# one Master and N Workers bound to 127.0.0.1, executors in their own JVMs, jobs submitted with SparkSubmit.
#
#   deploy/local-cluster/cluster.sh start [WORKERS]      # default 2 workers, 1 core + 2g each
#   deploy/local-cluster/cluster.sh submit [cnnspark args]   e.g. submit train --epochs 1
#   deploy/local-cluster/cluster.sh status | stop
#
# Everything started is recorded in $STATE/pids and stopped by pid. Workers need SPARK_HOME with a jars/ directory
# and SPARK_SCALA_VERSION=2.13, or the application fails and the driver waits forever; `submit` therefore runs
# under a timeout (CNNSPARK_SUBMIT_TIMEOUT, default 1800 s).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
state=${CNNSPARK_CLUSTER_STATE:-$root/runs/local-cluster}
port=${CNNSPARK_MASTER_PORT:-7177}
web=${CNNSPARK_MASTER_WEBUI_PORT:-8180}
cores=${CNNSPARK_WORKER_CORES:-1}
memory=${CNNSPARK_WORKER_MEMORY:-2g}
master_url=spark://127.0.0.1:$port
app_jar=$root/deploy/target/cnnspark-app.jar
classpath_file=$root/driver/target/classpath.txt
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
opens=(-XX:+IgnoreUnrecognizedVMOptions --add-opens=java.base/java.lang=ALL-UNNAMED
  --add-opens=java.base/java.lang.invoke=ALL-UNNAMED --add-opens=java.base/java.lang.reflect=ALL-UNNAMED
  --add-opens=java.base/java.io=ALL-UNNAMED --add-opens=java.base/java.net=ALL-UNNAMED
  --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent=ALL-UNNAMED --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED
  --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
  --add-opens=java.base/sun.nio.cs=ALL-UNNAMED --add-opens=java.base/sun.security.action=ALL-UNNAMED
  --add-opens=java.base/sun.util.calendar=ALL-UNNAMED -Djdk.reflect.useDirectMethodHandle=false
  -Dio.netty.tryReflectionSetAccessible=true)
export SPARK_HOME=$state/spark-home SPARK_SCALA_VERSION=2.13 SPARK_LOCAL_IP=127.0.0.1 SPARK_LOCAL_HOSTNAME=localhost
# signal chaining for every JVM here (workers pass their environment to executors): see deploy/bin/cnnspark
java_home=$(dirname "$(dirname "$(readlink -f "$(command -v "$java")")")")
[[ -f $java_home/lib/libjsig.so ]] && export LD_PRELOAD="$java_home/lib/libjsig.so"

build() {
  if [[ ! -f $app_jar || ! -f $classpath_file ]]; then
    echo "building the app jar ..." >&2
    (cd "$root" && mvn -q -DskipTests package -pl deploy -am) >&2
  fi
}

# SPARK_HOME/jars: Spark and its dependencies (our own modules travel in the app jar)
spark_home() {
  rm -rf "$SPARK_HOME" && mkdir -p "$SPARK_HOME/jars" "$SPARK_HOME/conf"
  tr ':' '\n' < "$classpath_file" | grep -v '/dev/cnnspark/' | while read -r jar; do
    ln -s "$jar" "$SPARK_HOME/jars/"
  done
  cp "$root/driver/src/main/resources/log4j2.properties" "$SPARK_HOME/conf/log4j2.properties"
}

wait_for() { # file pattern seconds
  for ((i = 0; i < $3 * 10; i++)); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done
  echo "timed out waiting for '$2' in $1" >&2; return 1
}

start() {
  local workers=${1:-2}
  build
  [[ -s $state/pids ]] && { echo "already running (pids in $state/pids); stop first" >&2; exit 1; }
  mkdir -p "$state/logs"
  spark_home
  : > "$state/pids"
  "$java" -Xmx512m "${opens[@]}" -cp "$SPARK_HOME/jars/*" org.apache.spark.deploy.master.Master \
    --host 127.0.0.1 --port "$port" --webui-port "$web" > "$state/logs/master.log" 2>&1 &
  echo "master $!" >> "$state/pids"
  wait_for "$state/logs/master.log" "I have been elected leader" 60
  for ((w = 1; w <= workers; w++)); do
    "$java" -Xmx512m "${opens[@]}" -cp "$SPARK_HOME/jars/*" org.apache.spark.deploy.worker.Worker \
      --host 127.0.0.1 --webui-port 0 --cores "$cores" --memory "$memory" --work-dir "$state/work-$w" \
      "$master_url" > "$state/logs/worker-$w.log" 2>&1 &
    echo "worker-$w $!" >> "$state/pids"
  done
  for ((w = 1; w <= workers; w++)); do
    wait_for "$state/logs/worker-$w.log" "Successfully registered with master" 60
  done
  echo "cluster up: $master_url, $workers worker(s) x $cores core(s), ${memory} (logs in $state/logs)"
}

submit() {
  build
  [[ -s $state/pids ]] || { echo "no cluster running: start it first" >&2; exit 1; }
  local workers
  workers=$(grep -c '^worker' "$state/pids")
  timeout "${CNNSPARK_SUBMIT_TIMEOUT:-1800}" "$java" -Xmx2g "${opens[@]}" --add-modules=jdk.incubator.vector \
    -cp "$SPARK_HOME/conf:$SPARK_HOME/jars/*:$app_jar" org.apache.spark.deploy.SparkSubmit \
    --master "$master_url" --deploy-mode client --class dev.cnnspark.driver.cli.Main \
    --conf spark.driver.host=127.0.0.1 --conf spark.driver.bindAddress=127.0.0.1 \
    --conf "spark.executor.extraJavaOptions=--add-modules=jdk.incubator.vector -XX:+UseG1GC" \
    --conf spark.executor.memory="${CNNSPARK_EXECUTOR_MEMORY:-1536m}" --conf spark.executor.cores="$cores" \
    --conf spark.cores.max=$((workers * cores)) --conf spark.task.maxFailures=4 \
    --conf spark.executor.instances="$workers" \
    "$app_jar" "$@"
}

status() {
  [[ -s $state/pids ]] || { echo "not running"; return 0; }
  while read -r name pid; do
    if kill -0 "$pid" 2>/dev/null; then echo "$name pid $pid running"; else echo "$name pid $pid gone"; fi
  done < "$state/pids"
}

stop() {
  [[ -s $state/pids ]] || { echo "not running"; return 0; }
  # workers first (they stop their executors), then the master; each by the pid we started
  tac "$state/pids" | while read -r name pid; do
    if kill "$pid" 2>/dev/null; then
      for ((i = 0; i < 100; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -9 "$pid" 2>/dev/null || true
      echo "stopped $name ($pid)"
    fi
  done
  # executors are children of the workers, which stop them on TERM; any that outlived a killed worker go too
  for pid in $(pgrep -f "CoarseGrainedExecutorBackend.*$master_url|--work-dir $state/work-" || true); do
    kill -9 "$pid" 2>/dev/null && echo "stopped leftover executor ($pid)"
  done
  : > "$state/pids"
}

cmd=${1:-}
shift || true
case "$cmd" in
  start) start "$@" ;;
  submit) submit "$@" ;;
  status) status ;;
  stop) stop ;;
  *) echo "usage: $0 start [WORKERS] | submit [cnnspark args] | status | stop" >&2; exit 2 ;;
esac
