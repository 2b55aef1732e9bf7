package dev.cnnspark.kernels.dropout;

/**
 * The dropout mask as a pure function of (seed, element index): nothing is stored between forward and backward,
 * a re-executed task draws the same mask, and every backend computes the same bits (integer ops only; the OpenCL
 * kernel calls this very method). The mixer is Wellons' "lowbias32" applied twice with the two seed halves.
 */
public final class DropoutMask {
  private DropoutMask() {
  }

  /** A uniform number in [0, 1) with 24 random bits: {@link #bits} times 2^-24 (exact). */
  public static float uniform(int seedLo, int seedHi, int index) {
    return bits(seedLo, seedHi, index) * 5.9604645e-8f;
  }

  /** The 24 random bits of element {@code index}, as an int in [0, 2^24). */
  public static int bits(int seedLo, int seedHi, int index) {
    int x = mix32(index ^ seedLo);
    x = mix32(x + seedHi);
    return x >>> 8;
  }

  /**
   * The integer form of the keep test: {@code uniform >= rate} exactly when {@code bits >= threshold(rate)}, since
   * uniform is bits / 2^24 with no rounding and bits is an integer.
   */
  public static int threshold(float rate) {
    return (int) Math.ceil(rate * 16777216.0);
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
