/**
 * The job spec: embedded defaults (which are also the schema), the user's YAML/JSON and command-line overrides, and
 * validation that reports every problem with its field before Spark starts.
 */
package dev.cnnspark.driver.spec;
