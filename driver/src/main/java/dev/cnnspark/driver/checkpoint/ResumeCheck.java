package dev.cnnspark.driver.checkpoint;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether, and how, a job may continue a checkpoint: refused when the checkpoint was trained under other settings
 * ({@link RunFingerprint}) unless the user asked to resume with changes, and then what the changes imply.
 *
 * @param changes lines to log: each difference and what it does to the resumed run (empty: an exact resume)
 * @param freshOptimizerState the optimizer type changed: its slots and update count start anew
 * @param restartEpoch the checkpoint is inside an epoch whose rounds are now cut differently: run it from round 1
 */
public record ResumeCheck(List<String> changes, boolean freshOptimizerState, boolean restartEpoch) {

  public static ResumeCheck of(Checkpoint c, RunFingerprint now, URI dir, boolean allowChanges) {
    RunFingerprint then = c.fingerprint();
    if (then.modelDiffers(now)) {
      throw new ResumeMismatchException("checkpoint.dir " + dir + " holds checkpoints of a different model (its "
          + "weights cannot be loaded into this one): point checkpoint.dir elsewhere, or delete it to start over");
    }
    List<String> diffs = then.differences(now);
    if (diffs.isEmpty()) {
      return new ResumeCheck(List.of(), false, false);
    }
    if (!allowChanges) {
      throw new ResumeMismatchException("checkpoint.dir " + dir + " holds a run with other settings than this job:"
          + "\n  - " + String.join("\n  - ", diffs) + "\nTo continue that run under the new settings (fine-tuning "
          + "with a new learning rate, say) add --resume-with-changes; to start a new run, point checkpoint.dir "
          + "elsewhere or delete it.");
    }
    boolean fresh = then.optimizerTypeDiffers(now);
    boolean restart = c.round() > 0 && then.partitioningDiffers(now);
    List<String> lines = new ArrayList<>();
    for (String d : diffs) {
      lines.add("resuming with a change (--resume-with-changes): " + d);
    }
    if (fresh) {
      lines.add("the optimizer's type changed: its state (slots, update count) starts anew; the weights are kept");
    }
    if (restart) {
      lines.add("the checkpoint is inside epoch " + (c.epoch() + 1) + " and its rounds are now cut differently: "
          + "that epoch runs again from its first round, from the checkpoint's weights");
    }
    return new ResumeCheck(List.copyOf(lines), fresh, restart);
  }
}
