#!/usr/bin/env python3
"""Reads a harness run's JSON lines (cnnspark's "train" lines and the peers' "peer_train" lines) and prints one "ratio"
line per model and peer: cnnspark's samples/s over the peer's. Used by peers.sh and course-peers.sh.
  python3 deploy/bench/ratios.py RUN.jsonl"""
import json
import sys

rows = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
ours = {r["model"]: r["samples_per_s"] for r in rows if r.get("bench") == "train"}
for r in rows:
    if r.get("bench") == "peer_train" and r["model"] in ours:
        print(json.dumps({"bench": "ratio", "model": r["model"], "peer": r["peer"],
                          "cnnspark_samples_per_s": ours[r["model"]], "peer_samples_per_s": r["samples_per_s"],
                          "cnnspark_over_peer": round(ours[r["model"]] / r["samples_per_s"], 2)}))
