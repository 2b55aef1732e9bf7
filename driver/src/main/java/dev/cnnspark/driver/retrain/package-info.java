/**
 * Scheduled retraining: a registry of published model versions on shared storage with an atomically switched
 * {@code current} pointer, a leased lock, and the gate that decides whether a candidate is published.
 */
package dev.cnnspark.driver.retrain;
