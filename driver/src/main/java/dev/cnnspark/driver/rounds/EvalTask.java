package dev.cnnspark.driver.rounds;

import dev.cnnspark.worker.data.Rows;
import dev.cnnspark.worker.model.ModelState;
import dev.cnnspark.worker.train.ConfusionMatrix;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;

/** Distributed evaluation: each partition evaluates its shard with the broadcast state, in inference mode. */
public final class EvalTask implements Function2<Integer, Iterator<Shard>, Iterator<EvalResult>> {
  private static final long serialVersionUID = 1L;
  private final EngineKey key;
  private final Broadcast<ModelState> state;
  private final int rddId;
  private final int classes;

  public EvalTask(EngineKey key, Broadcast<ModelState> state, int rddId, int classes) {
    this.key = key;
    this.state = state;
    this.rddId = rddId;
    this.classes = classes;
  }

  @Override
  public Iterator<EvalResult> call(Integer partition, Iterator<Shard> rows) {
    Rows data = WorkerEngines.shard(rddId, partition, rows);
    WorkerEngines.Engine engine = WorkerEngines.borrow(key);
    try {
      engine.model.setState(state.value());
      ConfusionMatrix cm = new ConfusionMatrix(classes);
      double[] m = engine.trainer.evaluate(data, cm);
      return List.of(new EvalResult(m[0], m[1], (long) m[2], cm)).iterator();
    } finally {
      WorkerEngines.giveBack(engine);
    }
  }
}
