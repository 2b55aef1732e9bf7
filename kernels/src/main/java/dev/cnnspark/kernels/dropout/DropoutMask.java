package dev.cnnspark.kernels.dropout;

/**
 * The dropout mask as a pure function of (seed, element index): nothing is stored between forward and backward,
 * a re-executed task draws the same mask, and every backend computes the same bits (integer ops only; the OpenCL
 * kernel calls this very method). The mixer is Wellons' "lowbias32" applied twice with the two seed halves.
 */
public final class DropoutMask {
  private DropoutMask() {
  }

  /** A uniform number in [0, 1) with 24 random bits. */
  public static float uniform(int seedLo, int seedHi, int index) {
    int x = mix32(index ^ seedLo);
    x = mix32(x + seedHi);
    return (x >>> 8) * 5.9604645e-8f;
  }

  /** Element multiplier: 0 when dropped, 1/(1-rate) when kept. */
  public static float scale(int seedLo, int seedHi, int index, float rate) {
    return uniform(seedLo, seedHi, index) >= rate ? 1f / (1f - rate) : 0f;
  }

  static int mix32(int v) {
    int x = v;
    x = x ^ (x >>> 16);
    x = x * 0x7feb352d;
    x = x ^ (x >>> 15);
    x = x * 0x846ca68b;
    x = x ^ (x >>> 16);
    return x;
  }

  public static int lo(long seed) {
    return (int) seed;
  }

  public static int hi(long seed) {
    return (int) (seed >>> 32);
  }
}
