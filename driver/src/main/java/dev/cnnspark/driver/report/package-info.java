/**
 * The run directory's record of a training run ({@code runs/<name>/} beside the checkpoints, on any Hadoop file
 * system): {@code history.csv} (Keras' CSVLogger columns), {@code rounds.csv} (each round's loss and where its time
 * went), TensorBoard event files, and {@code report.html} with its charts as PNG files beside it. {@link RunRecorder}
 * is what the training loop calls; nothing here can fail a run (a write that fails is a warning).
 */
package dev.cnnspark.driver.report;
