package dev.cnnspark.driver.rounds;

import java.io.Serializable;

/**
 * Everything that defines a compiled worker engine; engines with equal keys are interchangeable, so an executor
 * keeps them across rounds and tasks.
 *
 * @param threads Java-path threads per engine; 0 = the executor's cores divided by its concurrent tasks
 * @param augmentationJson the training minibatches' augmentation ({@code Augmentation.toJson}), "" for none
 */
public record EngineKey(String modelJson, String loss, String optimizerJson, int batchSize, String backend,
                        int threads, long seed, String augmentationJson) implements Serializable {
}
