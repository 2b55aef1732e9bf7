/**
 * Single-node benchmarks that print JSON lines (training throughput with a per-op breakdown, kernel GFLOP/s);
 * runnable without Spark ({@link dev.cnnspark.worker.bench.LocalBench}), as the GPU bundle does.
 */
package dev.cnnspark.worker.bench;
