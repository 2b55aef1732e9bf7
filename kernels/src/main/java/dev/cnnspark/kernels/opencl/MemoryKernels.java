package dev.cnnspark.kernels.opencl;

/**
 * Device fill and copy. The arena is chosen by code with a branch that is uniform across the launch, since Aparapi
 * cannot pass an array reference around. Reference: {@code java.util.Arrays.fill} and {@code System.arraycopy}.
 */
public abstract class MemoryKernels extends KernelArgs {

  /** {@code arena(fn)[xOff + gid] = f0} for {@code gid < total}. */
  protected final void fillOp(int gid) {
    if (gid < total) {
      writeArena(fn, xOff + gid, f0);
    }
  }

  /** {@code arena(fn2)[yOff + gid] = arena(fn)[xOff + gid]} for {@code gid < total}. */
  protected final void copyOp(int gid) {
    if (gid < total) {
      writeArena(fn2, yOff + gid, readArena(fn, xOff + gid));
    }
  }

  protected final float readArena(int code, int i) {
    float v = 0f;
    if (code == A_PARAMS) {
      v = params[i];
    } else if (code == A_GRADS) {
      v = grads[i];
    } else if (code == A_OPT1) {
      v = opt1[i];
    } else if (code == A_OPT2) {
      v = opt2[i];
    } else if (code == A_MOVING) {
      v = moving[i];
    } else if (code == A_WORK) {
      v = work[i];
    } else if (code == A_IO) {
      v = io[i];
    } else {
      v = out[i];
    }
    return v;
  }

  protected final void writeArena(int code, int i, float v) {
    if (code == A_PARAMS) {
      params[i] = v;
    } else if (code == A_GRADS) {
      grads[i] = v;
    } else if (code == A_OPT1) {
      opt1[i] = v;
    } else if (code == A_OPT2) {
      opt2[i] = v;
    } else if (code == A_MOVING) {
      moving[i] = v;
    } else if (code == A_WORK) {
      work[i] = v;
    } else if (code == A_IO) {
      io[i] = v;
    } else {
      out[i] = v;
    }
  }
}
