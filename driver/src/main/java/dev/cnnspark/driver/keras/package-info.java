/**
 * Keras interop: model files ({@code .keras} zips, legacy full-model {@code .h5}, {@code .weights.h5} of Keras 2
 * and 3) read into a {@code Sequential} and its flat weight vector, and a trained model written back as a Keras
 * weights file. Through jhdf (pure-Java HDF5); nothing is instantiated by name from a file.
 */
package dev.cnnspark.driver.keras;
