package dev.cnnspark.driver.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnspark.driver.spec.JobSpec;
import dev.cnnspark.driver.spec.SpecException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code --distributed-model}: a preset name, or a spec file whose model is measured (checked before any run). */
class DistributedBenchTest {

  @Test
  void aPresetNameIsNoFile() {
    assertNull(DistributedBench.modelFile("mnist_cnn"));
  }

  @Test
  void aMissingSpecFileIsNamed() {
    SpecException e = assertThrows(SpecException.class, () -> DistributedBench.modelFile("no/such/model.yaml"));
    assertTrue(e.getMessage().contains("no/such/model.yaml"), e.getMessage());
  }

  @Test
  void theScalingModelInDeployIsModelAWithFourTimesTheParameters() {
    Path file = DistributedBench.modelFile("../deploy/bench/wide_cnn.yaml");
    JobSpec spec = JobSpec.load(file, Map.of()).validate();
    assertEquals("wide_cnn", spec.name());
    assertEquals(4_743_050, spec.buildModel().layout().params());
  }
}
