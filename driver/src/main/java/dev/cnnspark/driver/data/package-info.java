/**
 * Datasets read through the Hadoop FileSystem API, so any scheme with a connector on the classpath works.
 */
package dev.cnnspark.driver.data;
