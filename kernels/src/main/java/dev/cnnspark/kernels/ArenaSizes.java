package dev.cnnspark.kernels;

/**
 * Lengths, in floats, of the arenas a model needs. {@code opt1}/{@code opt2} are either 0 (the optimizer keeps no
 * such slot) or {@code params}.
 */
public record ArenaSizes(int params, int opt1, int opt2, int moving, int work, int io, int out) {
  public ArenaSizes {
    if (params < 0 || opt1 < 0 || opt2 < 0 || moving < 0 || work < 0 || io < 0 || out < 0) {
      throw new IllegalArgumentException("negative arena size in " + this);
    }
    if ((opt1 != 0 && opt1 != params) || (opt2 != 0 && opt2 != params)) {
      throw new IllegalArgumentException("optimizer slots must be 0 or the parameter count: " + this);
    }
  }

  public int of(Arena arena) {
    return switch (arena) {
      case PARAMS, GRADS -> params;
      case OPT1 -> opt1;
      case OPT2 -> opt2;
      case MOVING -> moving;
      case WORK -> work;
      case IO -> io;
      case OUT -> out;
    };
  }

  /** Floats in all arenas together. */
  public long total() {
    long t = 0;
    for (Arena a : Arena.values()) {
      t += of(a);
    }
    return t;
  }
}
