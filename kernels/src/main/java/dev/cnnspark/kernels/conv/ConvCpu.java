package dev.cnnspark.kernels.conv;

import dev.cnnspark.kernels.Activation;
import dev.cnnspark.kernels.ConvGeometry;
import dev.cnnspark.kernels.cpu.CpuContext;
import dev.cnnspark.kernels.cpu.Gemm;
import dev.cnnspark.kernels.cpu.Lanes;
import dev.cnnspark.kernels.cpu.Parallel;
import java.util.Arrays;

/**
 * Fast CPU convolution: im2col of a block of output pixels into per-thread scratch, then one GEMM against the HWIO
 * kernel, which already is the {@code [kh*kw*c, oc]} matrix im2col needs. A 1x1, stride-1, unpadded conv skips
 * im2col. Work is split over (image, pixel block); the backward-data pass over whole images, since col2im of one
 * image's blocks scatters into shared input pixels. Reference: {@link ConvReference}.
 */
public final class ConvCpu {
  /** Output pixels per im2col block: keeps the column block (~PIXELS x K floats) inside L2. */
  static final int PIXELS = 256;
  private static final int COL = 0;
  private static final int DCOL = 1;
  private static final int WT = 3;

  private ConvCpu() {
  }

  private static boolean pointwise(ConvGeometry g) {
    return g.kh() == 1 && g.kw() == 1 && g.sh() == 1 && g.sw() == 1 && g.pt() == 0 && g.pl() == 0;
  }

  private static int blocksPerImage(ConvGeometry g) {
    return (g.oh() * g.ow() + PIXELS - 1) / PIXELS;
  }

  public static void forward(CpuContext ctx, ConvGeometry g, float[] x, int xOff, float[] w, int wOff, float[] b,
                             int bOff, float[] y, int yOff, Activation act) {
    int k = g.kh() * g.kw() * g.c();
    int pixels = g.oh() * g.ow();
    int blocks = blocksPerImage(g);
    Gemm gemm = Gemm.instance();
    // bias and ReLU are applied by the GEMM while the block is in registers; other activations in a second pass
    boolean fused = act == Activation.LINEAR || act == Activation.RELU;
    if (fused && !pointwise(g) && inside(g) && gemm.gathers(g.oc())) {
      gatheredForward(ctx, g, x, xOff, w, wOff, b, bOff, y, yOff, act == Activation.RELU);
      return;
    }
    ctx.parallel().forRange(g.n() * blocks, 1, (chunk, from, to) -> {
      float[] col = ctx.scratch(chunk, COL, PIXELS * k);
      for (int item = from; item < to; item++) {
        int n = item / blocks;
        int p0 = (item % blocks) * PIXELS;
        int rows = Math.min(PIXELS, pixels - p0);
        int yBase = yOff + (n * pixels + p0) * g.oc();
        float[] a = col;
        int aOff = 0;
        if (pointwise(g)) {
          a = x;
          aOff = xOff + (n * pixels + p0) * g.c();
        } else {
          im2col(g, x, xOff, n, p0, rows, col);
        }
        if (fused) {
          gemm.multiply(rows, g.oc(), k, a, aOff, k, 1, w, wOff, g.oc(), y, yBase, g.oc(), false,
              bOff >= 0 ? b : null, bOff, act == Activation.RELU);
        } else {
          gemm.multiply(rows, g.oc(), k, a, aOff, k, 1, w, wOff, g.oc(), y, yBase, g.oc(), false);
          epilogue(y, yBase, rows, g.oc(), b, bOff, act);
        }
      }
    });
  }

  /** Whether every window lies inside the image (no padding is read). */
  private static boolean inside(ConvGeometry g) {
    return g.pt() == 0 && g.pl() == 0 && (g.oh() - 1) * g.sh() + g.kh() <= g.h()
        && (g.ow() - 1) * g.sw() + g.kw() <= g.w();
  }

  /**
   * Forward pass without im2col, for the GEMMs that gather A's rows themselves ({@link Gemm#gathers}: the 8-channel
   * kernel): row i of A is output pixel i's window, read in place through its first element's offset and the
   * window's tap offsets. For a one-channel input the im2col copy (9 floats per pixel) cost as much as the product.
   */
  private static void gatheredForward(CpuContext ctx, ConvGeometry g, float[] x, int xOff, float[] w, int wOff,
                                      float[] b, int bOff, float[] y, int yOff, boolean relu) {
    int c = g.c();
    int k = g.kh() * g.kw() * c;
    int[] taps = new int[k];
    for (int ky = 0, t = 0; ky < g.kh(); ky++) {
      for (int kx = 0; kx < g.kw(); kx++) {
        for (int ch = 0; ch < c; ch++) {
          taps[t++] = (ky * g.w() + kx) * c + ch;
        }
      }
    }
    int pixels = g.oh() * g.ow();
    int blocks = blocksPerImage(g);
    Gemm gemm = Gemm.instance();
    ctx.parallel().forRange(g.n() * blocks, 1, (chunk, from, to) -> {
      int[] rowBase = new int[PIXELS];
      for (int item = from; item < to; item++) {
        int n = item / blocks;
        int p0 = (item % blocks) * PIXELS;
        int rows = Math.min(PIXELS, pixels - p0);
        for (int r = 0; r < rows; r++) {
          int oy = (p0 + r) / g.ow();
          int ox = (p0 + r) % g.ow();
          rowBase[r] = xOff + ((n * g.h() + oy * g.sh()) * g.w() + ox * g.sw()) * c;
        }
        gemm.multiplyGathered(rows, g.oc(), k, x, rowBase, 0, taps, w, wOff, g.oc(), y,
            yOff + (n * pixels + p0) * g.oc(), bOff >= 0 ? b : null, bOff, relu);
      }
    });
  }

  /** Adds the bias and applies the activation in place over {@code rows x cols}. */
  public static void epilogue(float[] y, int off, int rows, int cols, float[] b, int bOff, Activation act) {
    for (int r = 0; r < rows; r++) {
      int o = off + r * cols;
      for (int j = 0; j < cols; j++) {
        float v = y[o + j] + (bOff >= 0 ? b[bOff + j] : 0f);
        if (act == Activation.RELU) {
          v = v > 0f ? v : 0f;
        } else if (act != Activation.LINEAR) {
          v = Activation.apply(act.code, v);
        }
        y[o + j] = v;
      }
    }
  }

  public static void backwardData(CpuContext ctx, ConvGeometry g, float[] dy, int dyOff, float[] w, int wOff,
                                  float[] dx, int dxOff) {
    int k = g.kh() * g.kw() * g.c();
    int pixels = g.oh() * g.ow();
    // w^T [oc, k], shared read-only by all threads
    float[] wt = ctx.scratch(0, WT, k * g.oc());
    Gemm.transpose(k, g.oc(), w, wOff, wt);
    Gemm gemm = Gemm.instance();
    ctx.parallel().forRange(g.n(), 1, (chunk, from, to) -> {
      float[] dcol = ctx.scratch(chunk, DCOL, PIXELS * k);
      for (int n = from; n < to; n++) {
        int imageSize = g.h() * g.w() * g.c();
        if (pointwise(g)) {
          gemm.multiply(pixels, k, g.oc(), dy, dyOff + n * pixels * g.oc(), g.oc(), 1, wt, 0, k, dx,
              dxOff + n * imageSize, k, false);
          continue;
        }
        Arrays.fill(dx, dxOff + n * imageSize, dxOff + (n + 1) * imageSize, 0f);
        for (int p0 = 0; p0 < pixels; p0 += PIXELS) {
          int rows = Math.min(PIXELS, pixels - p0);
          gemm.multiply(rows, k, g.oc(), dy, dyOff + (n * pixels + p0) * g.oc(), g.oc(), 1, wt, 0, k, dcol, 0, k,
              false);
          col2imAdd(g, dcol, n, p0, rows, dx, dxOff);
        }
      }
    });
  }

  public static void backwardFilter(CpuContext ctx, ConvGeometry g, float[] x, int xOff, float[] dy, int dyOff,
                                    float[] dw, int dwOff) {
    int k = g.kh() * g.kw() * g.c();
    int pixels = g.oh() * g.ow();
    int blocks = blocksPerImage(g);
    int kernel = k * g.oc();
    Gemm gemm = Gemm.instance();
    float[][] partials = new float[Parallel.GROUPS][];
    int groups = ctx.parallel().forGroups(g.n() * blocks, (slot, group, from, to) -> {
      float[] col = ctx.scratch(slot, COL, PIXELS * k);
      float[] partial = new float[kernel];
      for (int item = from; item < to; item++) {
        int n = item / blocks;
        int p0 = (item % blocks) * PIXELS;
        int rows = Math.min(PIXELS, pixels - p0);
        int dyAt = dyOff + (n * pixels + p0) * g.oc();
        if (pointwise(g)) {
          // partial[k, oc] += X^T . dY, X = [rows, c] read transposed through its strides
          gemm.multiply(k, g.oc(), rows, x, xOff + (n * pixels + p0) * g.c(), 1, k, dy, dyAt, g.oc(), partial, 0,
              g.oc(), true);
        } else if (g.c() < FEW_CHANNELS) {
          // partial[k, oc] += colT . dY with colT = [k, rows] built directly (row-major for the GEMM)
          im2colTransposed(g, x, xOff, n, p0, rows, col);
          gemm.multiply(k, g.oc(), rows, col, 0, rows, 1, dy, dyAt, g.oc(), partial, 0, g.oc(), true);
        } else {
          im2col(g, x, xOff, n, p0, rows, col);
          gemm.multiply(k, g.oc(), rows, col, 0, 1, k, dy, dyAt, g.oc(), partial, 0, g.oc(), true);
        }
      }
      partials[group] = partial;
    });
    for (int gi = 0; gi < groups; gi++) {
      float[] partial = partials[gi];
      for (int i = 0; i < kernel; i++) {
        dw[dwOff + i] += partial[i];
      }
    }
  }

  /** {@code db[j] += sum_r dy[r, j]}: partial sums over fixed row groups (double), reduced in group order. */
  public static void biasGrad(CpuContext ctx, int rows, int cols, float[] dy, int dyOff, float[] db, int dbOff) {
    double[][] partial = new double[Parallel.GROUPS][];
    Lanes lanes = Lanes.instance();
    int groups = ctx.parallel().forGroups(rows, (slot, group, from, to) -> {
      double[] sum = new double[cols];
      lanes.columnSums(from, to, cols, dy, dyOff, sum);
      partial[group] = sum;
    });
    double[] total = new double[cols];
    for (int gi = 0; gi < groups; gi++) {
      for (int j = 0; j < cols; j++) {
        total[j] += partial[gi][j];
      }
    }
    for (int j = 0; j < cols; j++) {
      db[dbOff + j] += (float) total[j];
    }
  }

  /**
   * Rows {@code p0 .. p0+rows} of image n's column matrix: row r holds the (kh, kw, c) window of output pixel r.
   * In NHWC the kw taps of one kernel row are {@code kw * c} consecutive floats, so a window inside the image is kh
   * runs; short runs (small c, e.g. a first layer on 1-channel images) are copied by a loop, since a
   * {@code System.arraycopy} call per 3 floats cost more than the GEMM after it (measured: 9 calls per pixel made
   * im2col 90% of an 8-channel conv).
   */
  static void im2col(ConvGeometry g, float[] x, int xOff, int n, int p0, int rows, float[] col) {
    int c = g.c();
    int run = g.kw() * c;
    int k = g.kh() * run;
    for (int r = 0; r < rows; r++) {
      int p = p0 + r;
      int oy = p / g.ow();
      int ox = p % g.ow();
      int ix0 = ox * g.sw() - g.pl();
      boolean inside = ix0 >= 0 && ix0 + g.kw() <= g.w();
      int dst = r * k;
      for (int ky = 0; ky < g.kh(); ky++, dst += run) {
        int iy = oy * g.sh() + ky - g.pt();
        if (iy < 0 || iy >= g.h()) {
          Arrays.fill(col, dst, dst + run, 0f);
        } else if (inside) {
          copy(x, xOff + ((n * g.h() + iy) * g.w() + ix0) * c, col, dst, run);
        } else {
          for (int kx = 0; kx < g.kw(); kx++) {
            int ix = ix0 + kx;
            int d = dst + kx * c;
            if (ix < 0 || ix >= g.w()) {
              Arrays.fill(col, d, d + c, 0f);
            } else {
              copy(x, xOff + ((n * g.h() + iy) * g.w() + ix) * c, col, d, c);
            }
          }
        }
      }
    }
  }

  private static final int SHORT_RUN = 32;

  /**
   * Below this many input channels the filter gradient builds the column block transposed: a tap's values over
   * consecutive output pixels are then input pixels {@code sw * c} floats apart (contiguous for one channel at
   * stride 1), and the GEMM reads it row-major instead of packing it.
   */
  static final int FEW_CHANNELS = 4;

  /** {@code colT[t * rows + r]} = row r of {@link #im2col}'s block at tap t: the same values, transposed. */
  static void im2colTransposed(ConvGeometry g, float[] x, int xOff, int n, int p0, int rows, float[] colT) {
    int c = g.c();
    for (int ky = 0; ky < g.kh(); ky++) {
      for (int kx = 0; kx < g.kw(); kx++) {
        for (int ch = 0; ch < c; ch++) {
          int dst = ((ky * g.kw() + kx) * c + ch) * rows;
          int r = 0;
          while (r < rows) {
            int p = p0 + r;
            int oy = p / g.ow();
            int ox = p % g.ow();
            int run = Math.min(rows - r, g.ow() - ox);
            int iy = oy * g.sh() + ky - g.pt();
            if (iy < 0 || iy >= g.h()) {
              Arrays.fill(colT, dst + r, dst + r + run, 0f);
            } else {
              int row = xOff + (n * g.h() + iy) * g.w() * c + ch;
              for (int q = 0; q < run; q++) {
                int ix = (ox + q) * g.sw() + kx - g.pl();
                colT[dst + r + q] = ix < 0 || ix >= g.w() ? 0f : x[row + ix * c];
              }
            }
            r += run;
          }
        }
      }
    }
  }

  private static void copy(float[] src, int from, float[] dst, int to, int length) {
    if (length == 3) {
      // a 3-wide kernel row of one channel (first layers): the loop's set-up cost more than the copy
      dst[to] = src[from];
      dst[to + 1] = src[from + 1];
      dst[to + 2] = src[from + 2];
    } else if (length < SHORT_RUN) {
      for (int i = 0; i < length; i++) {
        dst[to + i] = src[from + i];
      }
    } else {
      System.arraycopy(src, from, dst, to, length);
    }
  }

  /** Scatter-adds column rows back into image n of dx (inverse of {@link #im2col}, kernel row by kernel row). */
  static void col2imAdd(ConvGeometry g, float[] dcol, int n, int p0, int rows, float[] dx, int dxOff) {
    int c = g.c();
    int run = g.kw() * c;
    int k = g.kh() * run;
    for (int r = 0; r < rows; r++) {
      int p = p0 + r;
      int oy = p / g.ow();
      int ox = p % g.ow();
      int ix0 = ox * g.sw() - g.pl();
      boolean inside = ix0 >= 0 && ix0 + g.kw() <= g.w();
      int src = r * k;
      for (int ky = 0; ky < g.kh(); ky++, src += run) {
        int iy = oy * g.sh() + ky - g.pt();
        if (iy < 0 || iy >= g.h()) {
          continue;
        }
        if (inside) {
          int d = dxOff + ((n * g.h() + iy) * g.w() + ix0) * c;
          for (int i = 0; i < run; i++) {
            dx[d + i] += dcol[src + i];
          }
        } else {
          for (int kx = 0; kx < g.kw(); kx++) {
            int ix = ix0 + kx;
            if (ix >= 0 && ix < g.w()) {
              int d = dxOff + ((n * g.h() + iy) * g.w() + ix) * c;
              int s2 = src + kx * c;
              for (int i = 0; i < c; i++) {
                dx[d + i] += dcol[s2 + i];
              }
            }
          }
        }
      }
    }
  }
}
