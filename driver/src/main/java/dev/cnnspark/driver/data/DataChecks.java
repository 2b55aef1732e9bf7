package dev.cnnspark.driver.data;

import dev.cnnspark.driver.spec.JobSpec;
import dev.cnnspark.driver.spec.MemoryEstimate;
import dev.cnnspark.driver.spec.SpecException;
import dev.cnnspark.worker.model.Loss;
import dev.cnnspark.worker.model.Sequential;
import java.util.ArrayList;
import java.util.List;

/**
 * The checks that need both the spec and its data's metadata, made before any training: the model's input shape
 * and output width against the data's example shape and classes, the loss against the label mode, and, for a local
 * master (this JVM is the executor), the memory the workers need at the spec's batch size against the heap, with the
 * largest batch that fits. Clusters get the memory check per executor in the pre-flight.
 */
public final class DataChecks {
  private DataChecks() {
  }

  /** The spec's and the plan's problems, the validation source's agreement with the training data included. */
  public static List<String> problems(JobSpec spec, DataPlan plan) {
    List<String> p = problems(spec, plan.info());
    DataInfo v = plan.validationInfo();
    if (v != null && !java.util.Arrays.equals(v.dims(), plan.info().dims())) {
      p.add("validation.path: its examples are " + v.shape() + ", the training data's " + plan.info().shape());
    } else if (v != null && !v.classNames().equals(plan.info().classNames())) {
      p.add("validation.path: its classes " + abbreviate(v.classNames()) + " differ from the training data's "
          + abbreviate(plan.info().classNames()));
    }
    return p;
  }

  /** Every problem, each naming its field; empty when the job can start. */
  public static List<String> problems(JobSpec spec, DataInfo info) {
    List<String> p = new ArrayList<>();
    if (info.labelWidth() == 0) {
      p.add("data.label_mode: none reads images without labels: they can be predicted (cnnspark predict), not "
          + "trained on or evaluated");
      return p;
    }
    try (Sequential m = spec.buildModel()) {
      if (!m.inputShape().equals(info.shape())) {
        p.add("model: input_shape " + m.inputShape() + " does not match the data's " + info.shape() + " ("
            + spec.dataType() + ")");
      }
      int out = m.layout().output().size();
      if (out != info.labelWidth()) {
        p.add("model: outputs " + out + " values, the data has " + (info.labelWidth() == 1 ? "binary labels (one "
            + "sigmoid output)" : info.classes() + " classes " + abbreviate(info.classNames())));
      }
      if (!spec.augmentation().isIdentity() && info.dims().length != 3) {
        p.add("augmentation: transforms images (height, width, channels); the data's examples are " + info.shape());
      }
      Loss loss = spec.buildLoss();
      if (info.labelWidth() == 1 && loss.categorical()) {
        p.add("loss: categorical_crossentropy needs one-hot labels; data.label_mode binary gives one 0/1 label: use "
            + "binary_crossentropy");
      }
    }
    if (!p.isEmpty()) {
      return p;
    }
    long eval = evalExamples(spec, info);
    int slots = spec.localSlots();
    int tasks = Math.min(Math.max(1, slots), spec.workers());
    long heap = Runtime.getRuntime().maxMemory();
    String shortfall = null;
    try {
      MemoryEstimate e = MemoryEstimate.of(spec, spec.batchSize(), info.trainCount(), eval);
      if (slots > 0 && !e.fits(heap, tasks, spec.workers())) {
        shortfall = e.shortfall(heap, tasks, spec.workers()) + " in this JVM (local mode: it is the executor)";
      }
    } catch (IllegalArgumentException e) { // an arena beyond one Java array, whatever the heap
      shortfall = spec.batchSize() + ": " + e.getMessage();
    }
    if (shortfall != null) {
      p.add("training.batch_size: " + shortfall + "; " + (slots == 0
          ? "the pre-flight names the largest that fits each executor"
          : MemoryEstimate.largestNote(spec, info.trainCount(), eval, heap, tasks, spec.workers()))
          + ". Lower training.batch_size or raise the heap (CNNSPARK_HEAP, spark.driver.memory)");
    }
    return p;
  }

  /** Examples evaluated on the workers: the test part (always built, for the final evaluation) and a split. */
  public static long evalExamples(JobSpec spec, DataInfo info) {
    return info.testCount() + (spec.validationSource().equals("split")
        ? (long) Math.ceil(info.trainCount() * spec.validationSplit()) : 0);
  }

  /** Throws {@link SpecException} with every problem, if any. */
  public static void require(JobSpec spec, DataPlan plan) {
    List<String> p = problems(spec, plan);
    if (!p.isEmpty()) {
      throw new SpecException(p);
    }
  }

  /** Throws {@link SpecException} with every problem, if any. */
  public static void require(JobSpec spec, DataInfo info) {
    List<String> p = problems(spec, info);
    if (!p.isEmpty()) {
      throw new SpecException(p);
    }
  }

  private static String abbreviate(List<String> names) {
    return names.size() <= 12 ? names.toString() : names.subList(0, 12) + " ...";
  }
}
