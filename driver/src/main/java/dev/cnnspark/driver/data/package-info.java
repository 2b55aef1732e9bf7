/**
 * The data seam: one {@link dev.cnnspark.driver.data.DataSource} per format (IDX, image folders, NumPy archives,
 * Parquet, CSV and JSON tables, CIFAR batches), chosen from the spec's {@code data.type} by
 * {@link dev.cnnspark.driver.data.DataSources}; a {@link dev.cnnspark.driver.data.DataPlan} adds the limits and the
 * validation cut and decodes one shard on an executor; the writers behind {@code cnnspark convert}. Everything is read
 * through the Hadoop FileSystem API, so any scheme with a connector on the classpath works.
 */
package dev.cnnspark.driver.data;
