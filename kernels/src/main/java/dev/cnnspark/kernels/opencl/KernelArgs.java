package dev.cnnspark.kernels.opencl;

import com.aparapi.Kernel;

/**
 * Root of the device kernel: the arenas and the scalar arguments every op reads, as Aparapi kernel fields.
 *
 * <p>Why one kernel built from a chain of abstract classes: Aparapi gives every Kernel instance its own OpenCL
 * context, so arrays stay resident between launches only inside one instance; and it translates math intrinsics
 * ({@code exp}, {@code sqrt}, ...) reliably only as inherited {@code Kernel} methods (a static helper named
 * {@code exp} in another class resolves by constant-pool index and can pull {@code java.lang.Math} into the
 * translation). So each op family is an abstract class extending the previous one, and
 * {@link DeviceKernel#run()} dispatches on {@link #op}. One family per file, its reference beside it.
 *
 * <p>Fields are public and non-final because Aparapi reads them reflectively before every launch. Scalars keep the
 * same meaning across ops where they can (geometry, offsets); each op's Javadoc says which it reads.
 */
public abstract class KernelArgs extends Kernel {

  // ---- op codes (DeviceKernel.run branches on these) ----
  public static final int OP_FILL = 1;
  public static final int OP_COPY = 2;
  public static final int OP_CONV_FORWARD = 10;
  public static final int OP_CONV_BACKWARD_DATA = 11;
  public static final int OP_CONV_BACKWARD_FILTER_PARTIAL = 14;
  public static final int OP_BIAS_GRAD_PARTIAL = 15;
  public static final int OP_ADD_SPLITS = 16;
  public static final int OP_TILED_PRODUCT = 17;
  public static final int OP_TILED_FINISH = 18;
  public static final int OP_NARROW_TILED_PRODUCT = 19;
  public static final int OP_DENSE_FORWARD = 20;
  public static final int OP_DENSE_BACKWARD_DATA = 21;
  public static final int OP_DENSE_BACKWARD_FILTER = 22;
  public static final int OP_ACTIVATION_FORWARD = 30;
  public static final int OP_ACTIVATION_BACKWARD = 31;
  public static final int OP_SOFTMAX_FORWARD = 32;
  public static final int OP_SOFTMAX_BACKWARD = 33;
  public static final int OP_MAX_POOL_FORWARD = 40;
  public static final int OP_MAX_POOL_BACKWARD = 41;
  public static final int OP_AVG_POOL_FORWARD = 42;
  public static final int OP_AVG_POOL_BACKWARD = 43;
  public static final int OP_DROPOUT = 50;
  public static final int OP_BN_STATS = 60;
  public static final int OP_BN_MOVING_STATS = 61;
  public static final int OP_BN_APPLY = 62;
  public static final int OP_BN_BACKWARD_REDUCE = 63;
  public static final int OP_BN_BACKWARD_DATA = 64;
  public static final int OP_LOSS = 70;
  public static final int OP_ACCUMULATE_METRICS = 71;
  public static final int OP_OPTIMIZER = 80;
  public static final int OP_RELU_FORWARD = 34;
  public static final int OP_RELU_BACKWARD = 35;
  public static final int OP_BN_BACKWARD_INFERENCE = 65;
  public static final int OP_PAD_FORWARD = 90;
  public static final int OP_PAD_BACKWARD = 91;
  public static final int OP_GLOBAL_POOL_FORWARD = 92;
  public static final int OP_GLOBAL_POOL_BACKWARD = 93;
  public static final int OP_EMBEDDING_FORWARD = 94;
  public static final int OP_EMBEDDING_BACKWARD = 95;
  public static final int OP_DEPTHWISE_FORWARD = 96;
  public static final int OP_DEPTHWISE_BACKWARD_DATA = 97;
  public static final int OP_DEPTHWISE_BACKWARD_FILTER = 98;

  // ---- arena codes for fill/copy (Arena.ordinal()) ----
  public static final int A_PARAMS = 0;
  public static final int A_GRADS = 1;
  public static final int A_OPT1 = 2;
  public static final int A_OPT2 = 3;
  public static final int A_MOVING = 4;
  public static final int A_WORK = 5;
  public static final int A_IO = 6;
  public static final int A_OUT = 7;

  // ---- arenas ----
  public float[] params;
  public float[] grads;
  public float[] opt1;
  public float[] opt2;
  public float[] moving;
  public float[] work;
  public float[] io;
  public float[] out;
  /** Backend-private scratch for split reductions (partial sums between two launches of one op). */
  public float[] scratch;

  // ---- scalar arguments ----
  public int op;
  /** Work items that do work (the launch is rounded up to whole work groups). */
  public int total;
  public int len;
  public int rows;
  public int cols;
  // geometry: input [n,h,w,c], window [kh,kw], strides, top/left padding, output [n,oh,ow,oc]
  public int n;
  public int h;
  public int w;
  public int c;
  public int kh;
  public int kw;
  public int sh;
  public int sw;
  public int pt;
  public int pl;
  public int oh;
  public int ow;
  public int oc;
  /** Sub-function: activation code, loss kind, optimizer rule, arena code. */
  public int fn;
  public int fn2;
  /** Number of partial sums a split reduction computes per output element. */
  public int splits;
  public int seedLo;
  public int seedHi;
  public int xOff;
  public int yOff;
  public int wOff;
  public int bOff;
  public int dxOff;
  public int dyOff;
  public int dwOff;
  public int aux0;
  public int aux1;
  public int aux2;
  public int aux3;
  public float f0;
  public float f1;
  public float f2;
  public float f3;
  public float f4;
  public float f5;
  public float f6;

  /** The fused epilogue: {@code fn} is an {@link dev.cnnspark.kernels.Activation} code. */
  protected final float activate(int code, float v) {
    float r = v;
    if (code == 1) {
      r = v > 0f ? v : 0f;
    } else if (code == 2) {
      r = 1f / (1f + exp(-v));
    } else if (code == 3) {
      r = tanh(v);
    } else if (code == 4) {
      r = v > 0f ? min(v, 6f) : 0f;
    }
    return r;
  }

  /** Derivative of the activation from its output. */
  protected final float activationSlope(int code, float y) {
    float r = 1f;
    if (code == 1) {
      r = y > 0f ? 1f : 0f;
    } else if (code == 2) {
      r = y * (1f - y);
    } else if (code == 3) {
      r = 1f - y * y;
    } else if (code == 4) {
      r = y > 0f && y < 6f ? 1f : 0f;
    }
    return r;
  }
}
