package dev.cnnspark.driver.rounds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The round cost model: its fit recovers the constants of rounds generated from known ones, its averaging frequency
 * is the smallest k under the target unless the convergence table bounds it, and its wire terms put the driver
 * path's cost on the driver's link (N states a round) where sharded aggregation's stays flat.
 */
class RoundCostModelTest {

  @Test
  void fitRecoversTheConstantsOfGeneratedRounds() {
    RoundCostModel truth = new RoundCostModel(new double[] {0.05, 0.01, 2e-9, 1e-9},
        new double[] {0.09, 0.02, 3e-9, 4e-9});
    List<RoundCostModel.Observation> obs = new ArrayList<>();
    for (String agg : new String[] {"driver", "sharded"}) {
      for (int n = 1; n <= 4; n++) {
        for (double s : new double[] {1.6e5, 4.8e6, 1.44e7, 5.7e7}) {
          double comm = truth.communication(agg, n, s, RoundCostModel.Network.LOOPBACK);
          obs.add(new RoundCostModel.Observation("x", agg, n, s, 0.1 + comm, 0.1));
        }
      }
    }
    RoundCostModel fitted = RoundCostModel.fit(obs);
    for (int i = 0; i < 4; i++) {
      assertEquals(truth.driver()[i], fitted.driver()[i], Math.abs(truth.driver()[i]) * 1e-6, "driver term " + i);
      assertEquals(truth.sharded()[i], fitted.sharded()[i], Math.abs(truth.sharded()[i]) * 1e-6, "sharded " + i);
    }
  }

  @Test
  void aNegativeTermIsDroppedNotKept() {
    // rounds that fall with the state size cannot make a negative cost per byte
    List<RoundCostModel.Observation> obs = List.of(
        new RoundCostModel.Observation("a", "driver", 1, 1e6, 0.20, 0.1),
        new RoundCostModel.Observation("b", "driver", 1, 1e7, 0.19, 0.1),
        new RoundCostModel.Observation("c", "driver", 2, 1e6, 0.25, 0.1),
        new RoundCostModel.Observation("d", "driver", 2, 1e7, 0.24, 0.1));
    for (double c : RoundCostModel.fit(obs).driver()) {
      assertTrue(c >= 0, "coefficient " + c);
    }
  }

  @Test
  void autoFrequencyIsTheSmallestKUnderTheTargetWithinTheTable() {
    RoundCostModel m = new RoundCostModel(new double[] {0.09, 0, 0, 0}, new double[] {0.09, 0, 0, 0});
    // 90 ms outside local training, 10 ms a minibatch: k = 81 gives exactly 10%; the table allows 64
    RoundCostModel.Frequency f = m.averagingFrequency("driver", 2, 1e6, RoundCostModel.Network.LOOPBACK, 0.010, 0.10,
        10_000);
    assertEquals(64, f.k());
    assertTrue(f.reason().contains("k >= 81") && f.reason().contains("bounded by the convergence table"),
        f.reason());
    // 100 ms a minibatch: k = 9 (90 / (90 + 900) = 9.1%), not 8 (10.1%)
    assertEquals(9, m.averagingFrequency("driver", 2, 1e6, RoundCostModel.Network.LOOPBACK, 0.100, 0.10, 10_000).k());
    // an epoch of 120 minibatches keeps 12 rounds: k <= 10
    assertEquals(10, m.averagingFrequency("driver", 2, 1e6, RoundCostModel.Network.LOOPBACK, 0.010, 0.10, 120).k());
  }

  @Test
  void theDriversLinkGrowsWithExecutorsAndShardedStaysFlat() {
    RoundCostModel.Network tenGbps = RoundCostModel.Network.gbps(10, 0);
    double s = 14.4e6;
    double d64 = RoundCostModel.wire("driver", 64, s, tenGbps);
    double d8 = RoundCostModel.wire("driver", 8, s, tenGbps);
    assertTrue(d64 > 64 * s / 1.25e9 && d64 / d8 > 6, d64 + " vs " + d8);
    double s64 = RoundCostModel.wire("sharded", 64, s, tenGbps);
    assertEquals(2 * s * 63 / 64 / 1.25e9, s64, 1e-12);
    assertEquals(Integer.MAX_VALUE, RoundCostModel.driverLinkLimit(s, RoundCostModel.Network.LOOPBACK, 1));
    assertEquals(86, RoundCostModel.driverLinkLimit(s, tenGbps, 1.0));
  }
}
