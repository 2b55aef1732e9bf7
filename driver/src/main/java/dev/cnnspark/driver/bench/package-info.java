/**
 * Benchmarks that print JSON lines: training throughput and per-op breakdown per backend, kernel GFLOP/s, and
 * local-mode distributed rounds. Numbers are printed, never asserted.
 */
package dev.cnnspark.driver.bench;
