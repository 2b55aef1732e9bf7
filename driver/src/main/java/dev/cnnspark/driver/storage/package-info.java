/**
 * Where a run keeps its files, on any Hadoop file system: plain paths and URIs resolved one way
 * ({@link dev.cnnspark.driver.storage.Locations}), one exclusive lock with a lease for a directory a run owns
 * ({@link dev.cnnspark.driver.storage.DirectoryLock}: checkpoint directories and retrain model directories), and
 * the pre-flight probe that a location can be written ({@link dev.cnnspark.driver.storage.WriteProbe}).
 */
package dev.cnnspark.driver.storage;
