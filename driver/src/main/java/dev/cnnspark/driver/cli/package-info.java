/**
 * The {@code cnnspark} command line (picocli): commands, shared spec options and the exit codes.
 */
package dev.cnnspark.driver.cli;
