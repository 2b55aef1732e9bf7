package dev.cnnspark.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cnnspark.kernels.dropout.DropoutMask;
import org.junit.jupiter.api.Test;

/**
 * The CPU path's integer keep test ({@code bits >= threshold(rate)}) decides exactly as the float one every backend
 * uses ({@code uniform >= rate}), for rates on and between multiples of 2^-24 and for every 24-bit value near them.
 */
class DropoutThresholdTest {

  @Test
  void integerKeepTestMatchesTheFloatOne() {
    float[] rates = {0f, 0.1f, 0.25f, 1f / 3, 0.5f, 0.7f, 0.9999999f, 1f, Math.nextUp(0.25f), Math.nextDown(0.5f),
        5.9604645e-8f, 1.5f * 5.9604645e-8f};
    for (float rate : rates) {
      int t = DropoutMask.threshold(rate);
      for (int u = Math.max(0, t - 3); u <= Math.min((1 << 24) - 1, t + 3); u++) {
        boolean floatKeep = u * 5.9604645e-8f >= rate;
        assertEquals(floatKeep, u >= t, "rate " + rate + ", bits " + u + ", threshold " + t);
      }
    }
    for (int index = 0; index < 10_000; index++) {
      float rate = 0.37f;
      assertEquals(DropoutMask.uniform(12, -7, index) >= rate,
          DropoutMask.bits(12, -7, index) >= DropoutMask.threshold(rate), "index " + index);
    }
  }
}
