package dev.cnnspark.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnspark.worker.model.ModelLayout;
import dev.cnnspark.worker.model.Sequential;
import java.util.List;
import org.junit.jupiter.api.Test;

/** summary() agrees with Keras for the two reference models. */
class SummaryTest {

  @Test
  void mnistCnnMatchesKeras() {
    Sequential m = Models.mnistCnn();
    ModelLayout l = m.layout();
    assertEquals(1_199_882, l.params());
    assertEquals(0, l.moving());
    assertEquals(List.of(Shape.of(26, 26, 32), Shape.of(24, 24, 64), Shape.of(12, 12, 64), Shape.of(12, 12, 64),
        Shape.of(9216), Shape.of(128), Shape.of(128), Shape.of(10)), l.outputs());
    assertEquals(List.of(320, 18496, 0, 0, 0, 1179776, 0, 1290), java.util.Arrays.stream(l.paramCounts()).boxed()
        .toList());
    String s = m.summary();
    System.out.println(s);
    assertTrue(s.contains(" conv2d (Conv2D)             (None, 26, 26, 32)        320"), s);
    assertTrue(s.contains(" conv2d_1 (Conv2D)           (None, 24, 24, 64)        18496"), s);
    assertTrue(s.contains(" max_pooling2d (MaxPooling2D)(None, 12, 12, 64)        0"), s);
    assertTrue(s.contains(" dropout_1 (Dropout)         (None, 128)               0"), s);
    assertTrue(s.contains(" dense (Dense)               (None, 128)               1179776"), s);
    assertTrue(s.contains(" dense_1 (Dense)             (None, 10)                1290"), s);
    assertTrue(s.contains("Total params: 1,199,882"), s);
    assertTrue(s.contains("Trainable params: 1,199,882"), s);
    assertTrue(s.contains("Non-trainable params: 0"), s);
  }

  @Test
  void cifarCnnMatchesKeras() {
    Sequential m = Models.cifarCnn();
    ModelLayout l = m.layout();
    assertEquals(703_594, l.params());
    assertEquals(List.of(Shape.of(30, 30, 32), Shape.of(28, 28, 32), Shape.of(14, 14, 32), Shape.of(12, 12, 64),
        Shape.of(10, 10, 64), Shape.of(5, 5, 64), Shape.of(3, 3, 64), Shape.of(576), Shape.of(1024), Shape.of(10)),
        l.outputs());
    String s = m.summary();
    assertTrue(s.contains("Total params: 703,594"), s);
    assertTrue(s.contains(" flatten (Flatten)           (None, 576)               0"), s);
    assertTrue(s.contains(" dense (Dense)               (None, 1024)              590848"), s);
  }
}
