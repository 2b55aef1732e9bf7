package dev.cnnspark.driver.rounds;

import dev.cnnspark.worker.model.ModelState;
import java.util.Iterator;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;

/**
 * The averaging job of a sharded round ({@link ShardedAggregation}), task {@code s}: slice {@code s} of every
 * worker's end state, in partition order, through the driver path's own arithmetic ({@link RoundResult#add},
 * {@link RoundResult#average}, {@link Averaging#next}), left as blocks avg(r, s) and (with block momentum)
 * mom(r, s). Returns {slice, location, finite, null}, or {slice, null, null, why} when a slice it reads is gone (a
 * result, not a failure: Spark would retry a task that cannot succeed before the run replays).
 */
final class SliceAverageTask implements Function2<Integer, Iterator<Integer>, Iterator<String[]>> {
  private static final long serialVersionUID = 1L;
  /** The round: its number, slices, start-state locations (null: the broadcasts) and start update count. */
  private final ShardedAggregation.Round round;
  private final long[] weights;
  private final String[] partAt;
  /** The round's start state and block momentum when the driver held them (else they are slice blocks). */
  private final Broadcast<ModelState> start;
  private final Broadcast<float[]> startMomentum;
  private final Averaging averaging;
  private final int optimizerSlots;

  SliceAverageTask(ShardedAggregation.Round round, long[] weights, String[] partAt, Broadcast<ModelState> start,
                   Broadcast<float[]> startMomentum, Averaging averaging, int optimizerSlots) {
    this.round = round;
    this.weights = weights;
    this.partAt = partAt;
    this.start = start;
    this.startMomentum = startMomentum;
    this.averaging = averaging;
    this.optimizerSlots = optimizerSlots;
  }

  @Override
  public Iterator<String[]> call(Integer s, Iterator<Integer> ignored) {
    try {
      return java.util.Collections.singletonList(average(s)).iterator();
    } catch (SliceBlocks.LostSliceException e) {
      return java.util.Collections.singletonList(new String[] {Integer.toString(s), null, null, e.getMessage()})
          .iterator();
    }
  }

  private String[] average(int s) {
    String run = round.run();
    long r = round.round();
    int n = round.slices();
    String[] startAt = round.startAt();
    RoundResult sum = new RoundResult();
    for (int p = 0; p < weights.length; p++) {
      if (weights[p] == 0) {
        continue;
      }
      float[][] v = SliceBlocks.decode(SliceBlocks.get(SliceBlocks.name(run, "part", r, p, s), partAt[p]), 4);
      sum = sum.add(RoundResult.of(new ModelState(v[0], v[1], v[2], v[3], 0), (int) weights[p], 0, 0, 0, 0, 0));
    }
    ModelState averaged = sum.average(round.iterations());
    float[][] b = startAt == null ? SliceBlocks.slice(SliceBlocks.parts(start.value()), s, n)
        : SliceBlocks.decode(SliceBlocks.get(SliceBlocks.name(run, "avg", r - 1, s, 0), startAt[s]), 4);
    ModelState before = new ModelState(b[0], b[1], b[2], b[3], round.iterations());
    float[] momentum = null;
    if (averaging.blockMomentum() != 0) {
      momentum = startAt == null ? SliceBlocks.slice(new float[][] {startMomentum.value()}, s, n)[0]
          : SliceBlocks.decode(SliceBlocks.get(SliceBlocks.name(run, "mom", r - 1, s, 0), startAt[s]), 1)[0];
    }
    ModelState next = averaging.next(before, averaged, momentum, optimizerSlots);
    SliceBlocks.put(SliceBlocks.name(run, "avg", r, s, 0), SliceBlocks.encode(next, 0, 1));
    if (momentum != null) {
      SliceBlocks.put(SliceBlocks.name(run, "mom", r, s, 0), SliceBlocks.encode(new float[][] {momentum}, 0, 1));
    }
    return new String[] {Integer.toString(s), SliceBlocks.here(), Boolean.toString(next.isFinite()), null};
  }
}
