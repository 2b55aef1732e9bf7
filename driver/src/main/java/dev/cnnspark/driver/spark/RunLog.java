package dev.cnnspark.driver.spark;

import java.nio.file.Path;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.FileAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.layout.PatternLayout;

/**
 * The console's verbosity and the run's log file. By default the console shows what Keras shows (the header, a
 * progress bar and one line per epoch, checkpoints, warnings); the per-round and per-task lines go to
 * {@code cnnspark.log} in the run directory, and to the console too with {@code --verbose}. Only where the
 * command line's log4j2 configuration is in force (local runs); under spark-submit the cluster's configuration rules.
 */
public final class RunLog implements AutoCloseable {
  private static final String LOGGER = "dev.cnnspark";
  private final FileAppender appender;

  private RunLog(FileAppender appender) {
    this.appender = appender;
  }

  /** Our INFO lines on the console ({@code --verbose}) or not; reloads the configuration with that level. */
  public static void console(boolean verbose) {
    System.setProperty("cnnspark.console.level", verbose ? "info" : "warn");
    if (LogManager.getContext(false) instanceof LoggerContext ctx && ctx.getConfiguration().getLoggers()
        .containsKey(LOGGER)) {
      ctx.reconfigure();
    }
  }

  /** Adds {@code file} (appended to) as a destination of every INFO line of ours; closing removes it. Null: none. */
  public static RunLog attach(Path file) {
    if (file == null || !(LogManager.getContext(false) instanceof LoggerContext ctx)) {
      return new RunLog(null);
    }
    Configuration config = ctx.getConfiguration();
    LoggerConfig ours = config.getLoggers().get(LOGGER);
    if (ours == null) {
      return new RunLog(null);
    }
    FileAppender app = FileAppender.newBuilder().setName("run-" + System.nanoTime()).withFileName(file.toString())
        .withAppend(true).setLayout(PatternLayout.newBuilder().withPattern("%d{yyyy-MM-dd HH:mm:ss} %-5p %c{1}: %m%n")
            .withConfiguration(config).build()).setConfiguration(config).build();
    app.start();
    config.addAppender(app);
    ours.addAppender(app, Level.INFO, null);
    ctx.updateLoggers();
    return new RunLog(app);
  }

  @Override
  public void close() {
    if (appender == null || !(LogManager.getContext(false) instanceof LoggerContext ctx)) {
      return;
    }
    LoggerConfig ours = ctx.getConfiguration().getLoggers().get(LOGGER);
    if (ours != null) {
      ours.removeAppender(appender.getName());
    }
    ctx.updateLoggers();
    appender.stop();
  }
}
