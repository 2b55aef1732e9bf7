/**
 * The Spark job: a validated {@link dev.cnnspark.driver.spec.JobSpec}, data from any Hadoop FileSystem path,
 * sharded one partition per worker, synchronous parameter-averaging rounds, checkpoints to shared storage and
 * automatic resume, plus the {@code cnnspark} command line.
 */
package dev.cnnspark.driver;
