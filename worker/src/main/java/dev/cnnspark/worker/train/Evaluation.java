package dev.cnnspark.worker.train;

/** Keras' {@code evaluate} result: mean loss and accuracy over {@code count} examples, and the confusion matrix. */
public record Evaluation(double loss, double accuracy, long count, ConfusionMatrix confusion) {
}
