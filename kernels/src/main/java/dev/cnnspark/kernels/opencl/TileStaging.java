package dev.cnnspark.kernels.opencl;

/**
 * What the tiled products ({@link TiledKernels}, {@link NarrowTiledKernels}) share: the views that make one implicit
 * GEMM {@code C[M, N] = sum_k A(m, k) B(k, n)} of each conv and dense product (no im2col buffer), the staging of A
 * and B slices into local memory, and the epilogue. References: {@link dev.cnnspark.kernels.conv.ConvReference},
 * {@link dev.cnnspark.kernels.dense.DenseReference}.
 *
 * <p>Consecutive work items stage consecutive elements along the operand's contiguous axis (k for the x window and
 * dy, m for the filter gradients' x, n for weights and dy), so loads coalesce. The conv views' index arithmetic is
 * split off the element loads: each row of the block is split into (image, row, column) or (tap, channel) once per
 * launch ({@link #rowState}), each k of the current slice once per step ({@link #kState}), and an element then
 * costs two local reads and a few adds. Integer division by a runtime value costs about 20 instructions on a GPU;
 * with four per element, as a plain gather needs, the index arithmetic would outweigh the 16 multiply-adds each
 * element feeds.
 *
 * <p>Products with few output blocks are split along k ({@link TiledPlan}): group {@code (s, block)} covers k-steps
 * {@code [s*steps/splits, (s+1)*steps/splits)}, writes its partial block to {@code scratch}, and {@link #tiledFinish}
 * adds the splits in order. Gathers and fixed-order sums only, so every result is deterministic for a given device.
 *
 * <p>Fields read: {@link #view}, {@link #gm}, {@link #gn}, {@link #gk}, {@link #gBias}, {@link #splits}, the view's
 * geometry and offsets, {@link #fn} (activation of the forward views), {@link #bOff} (the forward views' bias in
 * PARAMS, -1: none; the filter-gradient views' bias gradient in GRADS when {@link #gBias} is 1).
 */
public abstract class TileStaging extends MemoryKernels {

  /** k-step: the depth of one staged slice. */
  public static final int TK = 16;
  /** Work items per group: 16 x 16, each owning a register block of outputs. */
  public static final int GROUP = 256;

  // ---- views: what A, B and the output are for each product (conv views are 1-3: initRows, initKs rely on it) ----
  /** y = act(x (*) w + b): m = (b, oy, ox), n = o, k = (ky, kx, i); A = x window (WORK), B = w (PARAMS, HWIO). */
  public static final int V_CONV_FORWARD = 1;
  /** dx = dy (*)^T w: m = (b, iy, ix), n = i, k = (ky, kx, o); A = dy gathered by stride (WORK), B = w transposed. */
  public static final int V_CONV_BACKWARD_DATA = 2;
  /**
   * dw += x^T dy: m = (ky, kx, i), n = o, k = (b, oy, ox); A = x window (WORK), B = dy (WORK); into GRADS. With
   * {@link #gBias}, row gm - 1 of A is ones, so that output row is the bias gradient (into GRADS at bOff).
   */
  public static final int V_CONV_BACKWARD_FILTER = 3;
  /** y = act(x w + b): m = row, n = out, k = in. */
  public static final int V_DENSE_FORWARD = 4;
  /** dx = dy w^T: m = row, n = in, k = out. */
  public static final int V_DENSE_BACKWARD_DATA = 5;
  /** dw += x^T dy: m = in, n = out, k = row; into GRADS; the bias gradient as a ones row with {@link #gBias}. */
  public static final int V_DENSE_BACKWARD_FILTER = 6;

  // ---- how coordinate() splits an index ----
  static final int SPLIT_WINDOW = 0;
  static final int SPLIT_PIXEL = 1;
  static final int SPLIT_TAP = 2;

  /** Which product ({@code V_*}). */
  public int view;
  /** GEMM extents: rows and columns of the output, length of the reduction. */
  public int gm;
  public int gn;
  public int gk;
  /** 1 when a filter-gradient view's last row (gm - 1) is the bias gradient, 0 otherwise. */
  public int gBias;

  /** Staged A: TK rows of (block height + 1) floats; the padding keeps column stores off a single bank. */
  @Local
  public float[] tileA = new float[TK * 129];
  /** Staged B: TK rows of (block width + 1) floats. */
  @Local
  public float[] tileB = new float[TK * 65];
  /** The k-invariant coordinates of each row of the block, 3 ints per row (see {@link #initRows}). */
  @Local
  public int[] rowState = new int[3 * 128];
  /** The coordinates of each k of the current step's slice, 3 ints per k (see {@link #initKs}). */
  @Local
  public int[] kState = new int[3 * TK];

  /** A is contiguous along k except in the filter gradients, whose x window is contiguous along m. */
  protected final int aAlongK() {
    return view == V_CONV_BACKWARD_FILTER || view == V_DENSE_BACKWARD_FILTER ? 0 : 1;
  }

  /**
   * Coordinate {@code part} (0, 1, 2) of index {@code i} split three ways: {@link #SPLIT_WINDOW}, an output pixel as
   * (b, window top, window left); {@link #SPLIT_PIXEL}, an input pixel as (b, iy + pt, ix + pl); {@link #SPLIT_TAP},
   * a kernel tap as (ky, kx, channel) over {@code ch} channels. Only the once-per-launch and once-per-step splits
   * below call it, so its divisions stay off the element loads.
   */
  protected final int coordinate(int split, int i, int ch, int part) {
    int v = 0;
    if (split == SPLIT_WINDOW) {
      int u = i / ow;
      v = u / oh;
      if (part == 1) {
        v = u % oh * sh - pt;
      } else if (part == 2) {
        v = i % ow * sw - pl;
      }
    } else if (split == SPLIT_PIXEL) {
      int u = i / w;
      v = u / h;
      if (part == 1) {
        v = u % h + pt;
      } else if (part == 2) {
        v = i % w + pl;
      }
    } else {
      int t = i / ch;
      v = t / kw;
      if (part == 1) {
        v = t % kw;
      } else if (part == 2) {
        v = i % ch;
      }
    }
    return v;
  }

  /**
   * Items {@code lid < height} split row {@code m0 + lid} of the block once per launch: the forward's output pixel,
   * the data gradient's input pixel, the filter gradient's kernel tap. Read after the first barrier of the k loop.
   */
  protected final void initRows(int lid, int m0, int height) {
    if (lid < height && view <= V_CONV_BACKWARD_FILTER) {
      int split = SPLIT_TAP;
      if (view == V_CONV_FORWARD) {
        split = SPLIT_WINDOW;
      } else if (view == V_CONV_BACKWARD_DATA) {
        split = SPLIT_PIXEL;
      }
      for (int part = 0; part < 3; part++) {
        rowState[3 * lid + part] = coordinate(split, m0 + lid, c, part);
      }
    }
  }

  /**
   * Items {@code lid < TK} split {@code k0 + lid} at the start of each k-step: the tap (over x's channels for the
   * forward, dy's for the data gradient), or the filter gradient's output pixel. A barrier must separate this from
   * the staging that reads it.
   */
  protected final void initKs(int lid, int k0) {
    if (lid < TK && view <= V_CONV_BACKWARD_FILTER) {
      int split = SPLIT_TAP;
      if (view == V_CONV_BACKWARD_FILTER) {
        split = SPLIT_WINDOW;
      }
      int ch = c;
      if (view == V_CONV_BACKWARD_DATA) {
        ch = oc;
      }
      for (int part = 0; part < 3; part++) {
        kState[3 * lid + part] = coordinate(split, k0 + lid, ch, part);
      }
    }
  }

  /** Output blocks of height x width over the product. */
  protected final int blocks(int height, int width) {
    return (gm + height - 1) / height * ((gn + width - 1) / width);
  }

  /** The split of k this item's group computes (groups are numbered split-major). */
  protected final int groupSplit(int height, int width) {
    return getGroupId() / blocks(height, width);
  }

  /** First output row of this item's block. */
  protected final int blockRow0(int height, int width) {
    return getGroupId() % blocks(height, width) / ((gn + width - 1) / width) * height;
  }

  /** First output column of this item's block. */
  protected final int blockCol0(int height, int width) {
    return getGroupId() % blocks(height, width) % ((gn + width - 1) / width) * width;
  }

  /** First k-step of split {@code s} (and one past the last of split {@code s - 1}). */
  protected final int firstStep(int s) {
    return s * ((gk + TK - 1) / TK) / splits;
  }

  /**
   * Stages k-step {@code step} for the block at (m0, n0): splits its k into {@link #kState}, then stages the A and B
   * slices, each behind a barrier, so the slices are ready to read when this returns.
   */
  protected final void stageStep(int lid, int m0, int n0, int step, int height, int width) {
    int k0 = step * TK;
    initKs(lid, k0);
    localBarrier();
    stageA(lid, m0, k0, height);
    stageB(lid, n0, k0, width);
    localBarrier();
  }

  /**
   * Stages A(m0 .. m0 + height, k0 .. k0 + TK) into {@link #tileA} (row stride {@code height + 1}), height * TK /
   * GROUP elements per item; consecutive items take consecutive elements along A's contiguous axis.
   */
  protected final void stageA(int lid, int m0, int k0, int height) {
    int alongK = aAlongK();
    int run = height * TK / GROUP;
    for (int r = 0; r < run; r++) {
      int e = lid + GROUP * r;
      int am = e / TK;
      int ak = e % TK;
      if (alongK == 0) {
        am = e % height;
        ak = e / height;
      }
      tileA[ak * (height + 1) + am] = elementA(m0 + am, k0 + ak, am, ak);
    }
  }

  /** A(m, k), block row am, slice column ak: from the row and k states, 0 outside the product and the image. */
  protected final float elementA(int m, int k, int am, int ak) {
    float v = 0f;
    if (m < gm && k < gk) {
      if (gBias == 1 && m == gm - 1) {
        v = 1f;
      } else if (view == V_CONV_FORWARD) {
        v = xAt(rowState[3 * am], rowState[3 * am + 1] + kState[3 * ak], rowState[3 * am + 2] + kState[3 * ak + 1],
            kState[3 * ak + 2]);
      } else if (view == V_CONV_BACKWARD_FILTER) {
        v = xAt(kState[3 * ak], kState[3 * ak + 1] + rowState[3 * am], kState[3 * ak + 2] + rowState[3 * am + 1],
            rowState[3 * am + 2]);
      } else if (view == V_CONV_BACKWARD_DATA) {
        v = dyAt(rowState[3 * am], rowState[3 * am + 1] - kState[3 * ak], rowState[3 * am + 2] - kState[3 * ak + 1],
            kState[3 * ak + 2]);
      } else if (view == V_DENSE_FORWARD) {
        v = work[xOff + m * len + k];
      } else if (view == V_DENSE_BACKWARD_DATA) {
        v = work[dyOff + m * cols + k];
      } else {
        v = work[xOff + k * len + m];
      }
    }
    return v;
  }

  /** x[b, iy, ix, i] at xOff, 0 in the padding. */
  protected final float xAt(int b, int iy, int ix, int i) {
    float v = 0f;
    if (iy >= 0 && iy < h && ix >= 0 && ix < w) {
      v = work[xOff + ((b * h + iy) * w + ix) * c + i];
    }
    return v;
  }

  /** dy[b, oyNum / sh, oxNum / sw, o], or 0 where the window offsets do not land on an output pixel. */
  protected final float dyAt(int b, int oyNum, int oxNum, int o) {
    float v = 0f;
    if (oyNum >= 0 && oxNum >= 0) {
      int oy = oyNum;
      int ox = oxNum;
      int on = 1;
      if (sh != 1) {
        on = oyNum % sh == 0 ? 1 : 0;
        oy = oyNum / sh;
      }
      if (sw != 1) {
        on = oxNum % sw == 0 ? on : 0;
        ox = oxNum / sw;
      }
      if (on == 1 && oy < oh && ox < ow) {
        v = work[dyOff + ((b * oh + oy) * ow + ox) * oc + o];
      }
    }
    return v;
  }

  /**
   * Stages B(k0 .. k0 + TK, n0 .. n0 + width) into {@link #tileB} (row stride {@code width + 1}), TK * width / GROUP
   * elements per item, consecutive items along n where B is contiguous along n (weights, dy), along k
   * for the transposed weights of the data gradients.
   */
  protected final void stageB(int lid, int n0, int k0, int width) {
    int run = TK * width / GROUP;
    int alongN = view == V_CONV_BACKWARD_DATA || view == V_DENSE_BACKWARD_DATA ? 0 : 1;
    for (int r = 0; r < run; r++) {
      int e = lid + GROUP * r;
      int bn = e % width;
      int bk = e / width;
      if (alongN == 0) {
        bk = e % TK;
        bn = e / TK;
      }
      int k = k0 + bk;
      int n = n0 + bn;
      float v = 0f;
      if (k < gk && n < gn) {
        if (view == V_CONV_FORWARD) {
          v = params[wOff + k * oc + n];
        } else if (view == V_CONV_BACKWARD_FILTER) {
          v = work[dyOff + k * oc + n];
        } else if (view == V_CONV_BACKWARD_DATA) {
          v = params[wOff + ((kState[3 * bk] * kw + kState[3 * bk + 1]) * c + n) * oc + kState[3 * bk + 2]];
        } else if (view == V_DENSE_FORWARD) {
          v = params[wOff + k * cols + n];
        } else if (view == V_DENSE_BACKWARD_DATA) {
          v = params[wOff + n * cols + k];
        } else {
          v = work[dyOff + k * cols + n];
        }
      }
      tileB[bk * (width + 1) + bn] = v;
    }
  }

  /** Second launch of a split product: output {@code gid} is the splits' partial sums added in order, finished. */
  protected final void tiledFinish(int gid) {
    if (gid < total) {
      int size = gm * gn;
      float acc = 0f;
      for (int s = 0; s < splits; s++) {
        acc += scratch[s * size + gid];
      }
      finishProduct(gid, gid % gn, acc);
    }
  }

  /** Output (m, n) of split s: its partial sum into scratch when split, else finished in place. */
  protected final void storeProduct(int s, int m, int n, float acc) {
    if (m < gm && n < gn) {
      if (splits > 1) {
        scratch[s * gm * gn + m * gn + n] = acc;
      } else {
        finishProduct(m * gn + n, n, acc);
      }
    }
  }

  /** Writes output element {@code idx} (column {@code n}): bias + activation, a plain store, or a gradient add. */
  protected final void finishProduct(int idx, int n, float acc) {
    if (view == V_CONV_FORWARD || view == V_DENSE_FORWARD) {
      float v = acc;
      if (bOff >= 0) {
        v += params[bOff + n];
      }
      work[yOff + idx] = activate(fn, v);
    } else if (view == V_CONV_BACKWARD_DATA || view == V_DENSE_BACKWARD_DATA) {
      work[dxOff + idx] = acc;
    } else if (gBias == 1 && idx >= (gm - 1) * gn) {
      grads[bOff + n] += acc;
    } else {
      grads[dwOff + idx] += acc;
    }
  }
}
