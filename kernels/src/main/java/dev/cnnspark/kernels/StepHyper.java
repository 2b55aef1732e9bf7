package dev.cnnspark.kernels;

/**
 * Scalars of one optimizer step, computed on the host (learning-rate decay, bias corrections) so that the per-element
 * update is the same short formula on every backend. Unused fields are 0.
 *
 * @param lr learning rate for this step (decay already applied; Adam's bias correction folded in)
 * @param a1 rule-specific: momentum (SGD, RMSprop), beta1 (Adam, Nadam), rho (Adadelta, RMSprop)
 * @param a2 rule-specific: beta2 (Adam, Nadam)
 * @param eps epsilon
 * @param c0 rule-specific constant (Nadam: (1 - mu_t) / (1 - prod_t))
 * @param c1 rule-specific constant (Nadam: mu_{t+1} / (1 - prod_{t+1}))
 * @param c2 rule-specific constant (Nadam: 1 / (1 - beta2^t))
 * @param nesterov SGD with Nesterov momentum
 */
public record StepHyper(float lr, float a1, float a2, float eps, float c0, float c1, float c2, boolean nesterov) {
}
