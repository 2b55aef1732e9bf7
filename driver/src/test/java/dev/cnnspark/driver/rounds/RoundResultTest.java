package dev.cnnspark.driver.rounds;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cnnspark.driver.spark.KryoSetup;
import dev.cnnspark.worker.model.ModelState;
import org.apache.spark.SparkConf;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.serializer.SerializerInstance;
import org.junit.jupiter.api.Test;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/** Weighted averaging of worker results, and their trip through Kryo with registration required. */
class RoundResultTest {

  private static ModelState state(float p, float m, float o1, float o2) {
    return new ModelState(new float[] {p, -p}, new float[] {m}, new float[] {o1, o1}, new float[] {o2, o2}, 7);
  }

  @Test
  void averagesByStepsAndSkipsIdleWorkers() {
    RoundResult a = RoundResult.of(state(1, 2, 3, 4), 3, 1.5, 30, 96, 10, 4);
    RoundResult b = RoundResult.of(state(5, 6, 7, 8), 1, 0.5, 20, 32, 20, 6);
    RoundResult idle = RoundResult.of(state(100, 100, 100, 100), 0, 0, 0, 0, 0, 0);
    RoundResult r = new RoundResult().add(a).add(idle).add(b);
    ModelState avg = r.average(40);
    assertArrayEquals(new float[] {2, -2}, avg.params());
    assertArrayEquals(new float[] {3}, avg.moving());
    assertArrayEquals(new float[] {4, 4}, avg.opt1());
    assertArrayEquals(new float[] {5, 5}, avg.opt2());
    assertEquals(43, avg.iterations(), "advanced by the longest worker's steps");
    assertEquals(3, r.workers());
    assertEquals(128, r.examples());
    assertEquals(2.0, r.lossSum());
    assertEquals(20, r.maxTrainNanos());
    assertEquals(6, r.maxCopyNanos());

    RoundResult single = new RoundResult().add(RoundResult.of(state(1, 2, 3, 4), 2, 0, 0, 0, 0, 0));
    assertArrayEquals(new float[] {1, -1}, single.average(0).params());
    assertThrows(IllegalStateException.class, () -> new RoundResult().add(idle).average(0));
  }

  @Test
  void twoWorkersAverageInFloatInEitherOrder() {
    RoundResult a = RoundResult.of(state(0.1f, 0.2f, 0.3f, 0.4f), 7, 0, 0, 0, 0, 0);
    RoundResult b = RoundResult.of(state(0.7f, 1e-3f, 3e5f, -2f), 3, 0, 0, 0, 0, 0);
    ModelState ab = new RoundResult().add(a).add(b).average(0);
    ModelState ba = new RoundResult().add(RoundResult.of(state(0.7f, 1e-3f, 3e5f, -2f), 3, 0, 0, 0, 0, 0))
        .add(RoundResult.of(state(0.1f, 0.2f, 0.3f, 0.4f), 7, 0, 0, 0, 0, 0)).average(0);
    // value x its share of the weight, in float
    assertEquals(0.1f * 0.7f + 0.7f * 0.3f, ab.params()[0]);
    assertEquals(0.4f * 0.7f + -2f * 0.3f, ab.opt2()[1]);
    // within 2 ulps of the weighted mean in double (no near-cancellation here, so ulps of the result)
    assertEquals((0.1 * 7 + 0.7 * 3) / 10, ab.params()[0], 2 * Math.ulp(0.28f));
    assertEquals((0.4 * 7 + -2.0 * 3) / 10, ab.opt2()[1], 2 * Math.ulp(0.32f));
    assertArrayEquals(ab.params(), ba.params());
    assertArrayEquals(ab.opt1(), ba.opt1());
  }

  @Test
  void manyWorkersFoldIntoSumsWhateverTheTreeShape() {
    int n = 2 * RoundResult.PENDING + 1;
    double[] expected = new double[2];
    long total = 0;
    RoundResult flat = new RoundResult();
    RoundResult[] leaves = new RoundResult[n];
    for (int w = 0; w < n; w++) {
      float p = 0.25f * (w + 1);
      flat = flat.add(RoundResult.of(state(p, 1, 1, 1), w + 1, 0, 0, 0, 0, 0));
      leaves[w] = RoundResult.of(state(p, 1, 1, 1), w + 1, 0, 0, 0, 0, 0);
      expected[0] += p * (w + 1.0);
      expected[1] += -p * (w + 1.0);
      total += w + 1;
    }
    // a tree: pairs, then pairs of pairs, the way treeAggregate combines partial results
    RoundResult left = leaves[0].add(leaves[1]).add(leaves[2].add(leaves[3]));
    RoundResult right = leaves[4].add(leaves[5]).add(leaves[6].add(leaves[7].add(leaves[8])));
    RoundResult tree = new RoundResult().add(left).add(right);
    for (RoundResult r : new RoundResult[] {flat, tree}) {
      ModelState avg = r.average(0);
      assertEquals(expected[0] / total, avg.params()[0], 1e-6);
      assertEquals(expected[1] / total, avg.params()[1], 1e-6);
      assertEquals(1f, avg.opt2()[0], 1e-6f);
      assertEquals(n, r.workers());
    }
  }

  @Test
  void travelsThroughKryoWithRegistrationRequired() {
    SerializerInstance kryo = new KryoSerializer(new SparkConf(false)
        .set("spark.kryo.registrationRequired", "true")
        .set("spark.kryo.registrator", KryoSetup.class.getName())).newInstance();
    ClassTag<RoundResult> tag = ClassTag$.MODULE$.apply(RoundResult.class);
    RoundResult combined = RoundResult.of(state(1, 2, 3, 4), 1, 0, 0, 0, 0, 0).add(
        RoundResult.of(state(3, 4, 5, 6), 1, 0, 0, 0, 0, 0));
    RoundResult folded = new RoundResult();
    for (int w = 0; w <= RoundResult.PENDING; w++) {
      folded = folded.add(RoundResult.of(state(w, 2 * w, 3, 4), 1 + w, 0, 0, 0, 0, 0));
    }
    for (RoundResult r : new RoundResult[] {RoundResult.of(state(1, 2, 3, 4), 1, 0, 0, 0, 0, 0), combined, folded}) {
      RoundResult back = kryo.deserialize(kryo.serialize(r, tag), tag);
      assertArrayEquals(r.average(0).params(), back.average(0).params());
      assertArrayEquals(r.average(0).opt2(), back.average(0).opt2());
    }
    ClassTag<ModelState> stateTag = ClassTag$.MODULE$.apply(ModelState.class);
    ModelState s = state(1, 2, 3, 4);
    ModelState back = kryo.deserialize(kryo.serialize(s, stateTag), stateTag);
    assertArrayEquals(s.params(), back.params());
    assertArrayEquals(s.moving(), back.moving());
    assertEquals(s.iterations(), back.iterations());
  }
}
