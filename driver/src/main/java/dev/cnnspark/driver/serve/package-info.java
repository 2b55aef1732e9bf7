/**
 * Using a trained model: loading it from wherever it was saved ({@link TrainedModel}), and running it over a data
 * source on the cluster ({@code cnnspark predict}, {@code cnnspark evaluate}) or over a Spark DataFrame
 * ({@link ModelTransformer}).
 */
package dev.cnnspark.driver.serve;
