package dev.cnnspark.kernels;

import java.util.EnumMap;
import java.util.Map;
import java.util.Random;

/**
 * Arenas filled with random values on a backend, plus a host copy of each that the test runs the reference on.
 * After the op, {@link #actual} downloads an arena; the whole arena is compared, so writes outside the op's output
 * region fail the test too.
 */
final class OpFixture {
  final Backend backend;
  final ArenaSizes sizes;
  final Random rnd;
  private final Map<Arena, float[]> expected = new EnumMap<>(Arena.class);

  OpFixture(Backend backend, ArenaSizes sizes, long seed) {
    this.backend = backend;
    this.sizes = sizes;
    this.rnd = new Random(seed);
    backend.allocate(sizes);
    for (Arena a : Arena.values()) {
      float[] h = backend.host(a);
      for (int i = 0; i < sizes.of(a); i++) {
        h[i] = rnd.nextFloat() * 2f - 1f;
      }
      backend.upload(a);
      expected.put(a, java.util.Arrays.copyOf(h, sizes.of(a)));
    }
  }

  static ArenaSizes sizes(int params, int work, int io) {
    return new ArenaSizes(params, params, params, 64, work, io, 16);
  }

  /** The reference's copy of an arena (what the op should leave there). */
  float[] ref(Arena a) {
    return expected.get(a);
  }

  /** Overwrites a region on both the backend and the reference copy. */
  void set(Arena a, int off, float[] values) {
    float[] h = backend.host(a);
    System.arraycopy(values, 0, h, off, values.length);
    System.arraycopy(values, 0, expected.get(a), off, values.length);
    backend.upload(a);
  }

  float[] actual(Arena a) {
    backend.download(a);
    return backend.host(a);
  }

  void assertArena(Arena a, Tolerance tol) {
    Assertions2.assertClose(tol.op() + " [" + a + " on " + backend.kind().id() + "]", tol, ref(a), 0, actual(a), 0,
        sizes.of(a));
  }
}
