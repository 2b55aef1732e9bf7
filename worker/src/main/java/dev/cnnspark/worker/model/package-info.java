/**
 * The model: {@code Sequential}, its layout over the flat arenas, the trainer that binds it to a backend, configs
 * to and from JSON, presets.
 */
package dev.cnnspark.worker.model;
