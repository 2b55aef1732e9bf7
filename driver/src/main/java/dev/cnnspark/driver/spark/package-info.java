/**
 * Spark configuration and Kryo registration (registration required).
 */
package dev.cnnspark.driver.spark;
