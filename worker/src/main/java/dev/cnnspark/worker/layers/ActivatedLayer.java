package dev.cnnspark.worker.layers;

import dev.cnnspark.worker.Shape;
import java.util.Optional;

/**
 * A layer whose op ends in an activation ({@link Conv2D}, {@link Dense}): owns the {@link OutputStage} and answers the
 * model's loss-fusion questions from it.
 */
public abstract class ActivatedLayer extends Layer {
  protected final OutputStage stage;

  protected ActivatedLayer(String type, Shape declaredInput, ActivationFn activation) {
    super(type, declaredInput);
    this.stage = new OutputStage(activation);
  }

  /** Reserves the stage's regions for an output of {@code size} floats; they are this layer's output and delta. */
  protected final void reserveStage(WorkLayout work, long size) {
    stage.reserve(work, size);
    outOff = stage.yOff;
    deltaOff = stage.dyOff;
  }

  @Override
  public Optional<ActivationFn> outputActivation() {
    return Optional.of(stage.fn);
  }

  @Override
  public void setActivationAbsorbed(boolean absorbed) {
    stage.absorbed = absorbed;
  }

  @Override
  public int logitsOffset() {
    return stage.zOff;
  }

  @Override
  public int logitsDeltaOffset() {
    return stage.dzOff;
  }
}
