package dev.cnnspark.kernels;

/**
 * The flat float arrays a backend owns. Every op argument is an offset into a fixed arena (a conv reads its input
 * from {@link #WORK} and its weights from {@link #PARAMS}, always), which is what lets one OpenCL kernel keep them
 * all resident: Aparapi binds arrays to kernel fields, not to call sites.
 */
public enum Arena {
  /** All trainable parameters of the model, one flat vector. */
  PARAMS,
  /** Gradients, same layout as {@link #PARAMS}; zeroed at the start of each step, then accumulated into. */
  GRADS,
  /** First optimizer slot (momentum, Adam m, Adagrad/Adadelta/RMSprop accumulator), layout of {@link #PARAMS}. */
  OPT1,
  /** Second optimizer slot (Adam/Nadam v, Adadelta delta accumulator), layout of {@link #PARAMS}. */
  OPT2,
  /** Non-trainable state averaged like parameters: BatchNorm moving mean and variance. */
  MOVING,
  /** Activations, deltas and per-step scratch of every layer. */
  WORK,
  /** One minibatch in: inputs then labels. The only arena written by the host every step. */
  IO,
  /** Small results out: metric accumulators, per-row predictions. The only arena read back every few steps. */
  OUT
}
