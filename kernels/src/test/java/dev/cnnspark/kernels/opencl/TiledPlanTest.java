package dev.cnnspark.kernels.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The launch plans of model (a)'s products at batch 128 on a 132-unit GPU (target 528 groups), worked by hand. */
class TiledPlanTest {
  private static final int H100_TARGET = 4 * 132;

  @Test
  void manyTilesNeedNoSplit() {
    // conv2 forward: m = 128*24*24 = 73,728 rows -> 1,152 tiles of 64, n = 64 -> 1
    assertEquals(new TiledPlan(false, 1152, 1, 1), TiledPlan.of(73_728, 64, 288, H100_TARGET));
  }

  @Test
  void outputsAtMost32WideTakeNarrowBlocks() {
    // conv2 data gradient: m = 128*26*26 = 86,528 pixels, n = 32 channels -> 676 blocks of 128 x 32
    assertEquals(new TiledPlan(true, 676, 1, 1), TiledPlan.of(86_528, 32, 576, H100_TARGET));
    // conv1 forward (k = 9: too short to split) and a 33-wide output, which takes two square-block columns' worth
    assertEquals(new TiledPlan(true, 676, 1, 1), TiledPlan.of(86_528, 32, 9, H100_TARGET));
    assertEquals(new TiledPlan(false, 1352, 1, 1), TiledPlan.of(86_528, 33, 576, H100_TARGET));
  }

  @Test
  void fewTilesSplitTheReductionUpToTheTarget() {
    // dense1 forward [128, 128] over k = 9,216: 4 tiles, 576 k-steps; ceil(528 / 4) = 132 splits of 4-5 steps
    // dense1 filter gradient [9217, 128] (bias row included) over k = 2,048: 290 tiles, more than half the target
    assertEquals(new TiledPlan(false, 145, 2, 1), TiledPlan.of(9217, 128, 2048, H100_TARGET));
    assertEquals(2, TiledPlan.of(9217, 128, 2048, 2 * 290).splits(), "at exactly half the target it splits");
    TiledPlan forward = TiledPlan.of(128, 128, 9216, H100_TARGET);
    assertEquals(new TiledPlan(false, 2, 2, 132), forward);
    assertEquals(528, forward.groups());
    // conv2 filter gradient [288, 64] over k = 73,728: 5 tiles, ceil(528 / 5) = 106 splits
    assertEquals(new TiledPlan(false, 5, 1, 106), TiledPlan.of(288, 64, 73_728, H100_TARGET));
  }

  @Test
  void shortReductionsAreNotSplit() {
    // dense2 forward [128, 10] over k = 128 and its filter gradient: one block, but 8 k-steps are not worth a launch
    assertEquals(new TiledPlan(true, 1, 1, 1), TiledPlan.of(128, 10, 128, H100_TARGET));
    assertEquals(1, TiledPlan.of(129, 10, 128, 1_000_000).splits());
    assertEquals(1, TiledPlan.of(10, 10, 496, H100_TARGET).splits(), "31 k-steps");
    assertEquals(8, TiledPlan.of(10, 10, 497, H100_TARGET).splits(), "32 k-steps: up to 8 splits of 4");
  }

  @Test
  void splitsKeepAtLeastFourStepsEach() {
    TiledPlan p = TiledPlan.of(1, 1, 100_000, 1_000_000);
    assertEquals(100_000 / 16 / TiledPlan.MIN_STEPS_PER_SPLIT, p.splits());
    assertTrue((100_000 + 15) / 16 / p.splits() >= TiledPlan.MIN_STEPS_PER_SPLIT);
  }

  @Test
  void splitsStayWithinTheScratchCap() {
    // [1000, 1000] over a long k on a device wanting 10^6 groups: 16 splits of 10^6 partial sums fit 2^24, 17 do not
    TiledPlan p = TiledPlan.of(1000, 1000, 1 << 20, 1_000_000);
    assertEquals(16, p.splits());
    assertEquals(1, TiledPlan.of(5000, 4000, 1 << 20, 1_000_000).splits(), "one product alone passes the cap");
  }

  @Test
  void tiledProductsNeedWorkGroupsOf256() {
    assertEquals(Products.TILED, OpenClBackend.fitting(Products.TILED, 1024));
    assertEquals(Products.TILED, OpenClBackend.fitting(Products.TILED, 256));
    assertEquals(Products.TILED, OpenClBackend.fitting(Products.TILED, -1), "unknown limit: try, launches check");
    assertEquals(Products.DIRECT, OpenClBackend.fitting(Products.TILED, 192));
    assertEquals(Products.DIRECT, OpenClBackend.fitting(Products.DIRECT, 1024));
  }

  @Test
  void rejectsEmptyProducts() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TiledPlan.of(0, 4, 4, 8));
    assertTrue(e.getMessage().contains("m=0"), e.getMessage());
  }
}
