/**
 * In-memory datasets, the MNIST IDX reader and the verified downloader.
 */
package dev.cnnspark.worker.data;
