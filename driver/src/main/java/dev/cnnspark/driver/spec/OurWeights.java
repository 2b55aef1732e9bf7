package dev.cnnspark.driver.spec;

import dev.cnnspark.driver.keras.KerasFile;
import dev.cnnspark.worker.io.StateFile;
import dev.cnnspark.worker.layers.Layer;
import dev.cnnspark.worker.model.Json;
import dev.cnnspark.worker.model.ModelLayout;
import dev.cnnspark.worker.model.Sequential;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A weights file of this trainer ({@code fit --output}, a published model's weights) seen layer by layer, as a Keras
 * file is: its stored model config gives each layer's name and weight shapes, which cut its flat vectors into
 * Keras-ordered arrays, so loading by name into another model works the same for both kinds of file.
 */
final class OurWeights {
  private OurWeights() {
  }

  static KerasFile asKerasFile(Path path) throws IOException {
    StateFile f;
    try (InputStream in = Files.newInputStream(path)) {
      f = StateFile.read(in, path.toString());
    }
    Sequential saved = Sequential.fromConfig(Json.MAPPER.readTree(f.json("model")));
    ModelLayout l = saved.layout();
    float[] params = f.floats("params");
    float[] moving = f.floats("moving");
    if (params.length != l.params() || moving.length != l.moving()) {
      throw new IOException(path + " holds " + params.length + " parameters and " + moving.length + " moving "
          + "statistics, but its own model config needs " + l.params() + " and " + l.moving());
    }
    Map<String, List<KerasFile.Weight>> out = new LinkedHashMap<>();
    List<Layer> layers = saved.layers();
    for (int i = 0; i < layers.size(); i++) {
      List<KerasFile.Weight> ws = new ArrayList<>();
      int p = l.paramOffsets()[i];
      int m = l.movingOffsets()[i];
      int pEnd = p + l.paramCounts()[i];
      for (int[] shape : layers.get(i).weightShapes(l.inputs().get(i))) {
        int n = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        float[] v;
        if (p < pEnd) {
          v = Arrays.copyOfRange(params, p, p + n);
          p += n;
        } else {
          v = Arrays.copyOfRange(moving, m, m + n);
          m += n;
        }
        ws.add(new KerasFile.Weight(layers.get(i).name() + "/" + ws.size(), shape, v));
      }
      out.put(layers.get(i).name(), ws);
    }
    return KerasFile.of(path.toString(), out);
  }
}
