/**
 * What runs on executors: shards built from the data files, the per-partition round and evaluation tasks, the pool
 * of compiled engines kept per executor JVM, and the sums a round aggregates.
 */
package dev.cnnspark.driver.rounds;
