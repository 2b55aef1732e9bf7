/**
 * The checksummed state-file container shared by weight files and checkpoints.
 */
package dev.cnnspark.worker.io;
