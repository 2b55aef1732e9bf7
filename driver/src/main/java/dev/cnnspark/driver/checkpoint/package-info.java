/**
 * Checkpoints on any Hadoop FileSystem: versioned, checksummed, written under temporary names and renamed into
 * place; latest/best; loading that falls back past corrupt files.
 */
package dev.cnnspark.driver.checkpoint;
