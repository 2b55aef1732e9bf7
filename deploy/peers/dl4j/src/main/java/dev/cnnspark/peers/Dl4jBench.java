package dev.cnnspark.peers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cnnspark.worker.bench.BenchmarkReport;
import dev.cnnspark.worker.data.Dataset;
import dev.cnnspark.worker.data.Mnist;
import java.nio.file.Path;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.AdaDelta;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Deeplearning4j (nd4j-native, CPU) training throughput of cnnspark's models at the same batch size on the same
 * MNIST examples: {@code --warmup} untimed steps, then {@code --steps} timed ones. Same JSON vocabulary as
 * {@code cnnspark bench}.
 * <pre>java -cp $(cat target/classpath.txt):target/classes dev.cnnspark.peers.Dl4jBench --data DIR --model mnist_cnn</pre>
 */
public final class Dl4jBench {
  private Dl4jBench() {
  }

  static MultiLayerConfiguration model(String name) {
    NeuralNetConfiguration.ListBuilder b = new NeuralNetConfiguration.Builder().seed(1)
        .updater(new AdaDelta()).weightInit(WeightInit.XAVIER_UNIFORM).list();
    if (name.equals("mnist_cnn")) {
      b.layer(new ConvolutionLayer.Builder(3, 3).nIn(1).nOut(32).activation(Activation.RELU).build())
          .layer(new ConvolutionLayer.Builder(3, 3).nOut(64).activation(Activation.RELU).build())
          .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
          .layer(new DropoutLayer.Builder(0.75).build()) // DL4J's argument is the retain probability
          .layer(new DenseLayer.Builder().nOut(128).activation(Activation.RELU).build())
          .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).dropOut(0.5).nOut(10)
              .activation(Activation.SOFTMAX).build());
    } else if (name.equals("tiny_cnn")) {
      b.layer(new ConvolutionLayer.Builder(3, 3).nIn(1).nOut(8).activation(Activation.RELU).build())
          .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
          .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(10).activation(Activation.SOFTMAX)
              .build());
    } else {
      throw new IllegalArgumentException("unknown model " + name + " (mnist_cnn, tiny_cnn)");
    }
    return b.setInputType(InputType.convolutionalFlat(28, 28, 1)).build();
  }

  public static void main(String[] args) throws Exception {
    String data = "../shared/data/mnist";
    String model = "mnist_cnn";
    int warmup = 10;
    int steps = 40;
    int batch = 128;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--data" -> data = args[++i];
        case "--model" -> model = args[++i];
        case "--warmup" -> warmup = Integer.parseInt(args[++i]);
        case "--steps" -> steps = Integer.parseInt(args[++i]);
        case "--batch" -> batch = Integer.parseInt(args[++i]);
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    Dataset train = Mnist.load(Path.of(data)).train();
    MultiLayerNetwork net = new MultiLayerNetwork(model(model));
    net.init();
    long t0 = 0;
    for (int s = 0; s < warmup + steps; s++) {
      if (s == warmup) {
        t0 = System.nanoTime();
      }
      int from = (s * batch) % (train.count() - batch);
      INDArray x = Nd4j.create(java.util.Arrays.copyOfRange(train.x(), from * 784, (from + batch) * 784),
          new long[] {batch, 784});
      INDArray y = Nd4j.create(java.util.Arrays.copyOfRange(train.y(), from * 10, (from + batch) * 10),
          new long[] {batch, 10});
      net.fit(new DataSet(x, y));
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    BenchmarkReport report = new BenchmarkReport(System.out);
    ObjectNode n = report.line("peer_train");
    n.put("peer", "dl4j");
    n.put("version", "1.0.0-M2.1 nd4j-native");
    n.put("model", model);
    n.put("batch", batch);
    n.put("steps", steps);
    n.put("samples_per_s", Math.round(steps * batch / seconds * 10) / 10.0);
    report.emit(n);
  }
}
