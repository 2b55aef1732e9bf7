#!/usr/bin/env bash
# Spark GPU discovery script (spark.worker.resource.gpu.discoveryScript / spark.executor.resource.gpu.discoveryScript):
# prints {"name": "gpu", "addresses": ["0", "1", ...]}, one address per OpenCL GPU in the order Aparapi lists them
# (platform order, then device order), which is the index cnnspark's worker binds its kernels to.
# Needs clinfo (Debian/Ubuntu: apt-get install clinfo) and the vendor's OpenCL ICD.
set -euo pipefail
n=0
if command -v clinfo >/dev/null 2>&1; then
  n=$(clinfo --raw 2>/dev/null | awk '$2 == "CL_DEVICE_TYPE" && $0 ~ /CL_DEVICE_TYPE_GPU/ {c++} END {print c+0}')
fi
addresses=""
for ((i = 0; i < n; i++)); do addresses+="${addresses:+, }\"$i\""; done
echo "{\"name\": \"gpu\", \"addresses\": [$addresses]}"
