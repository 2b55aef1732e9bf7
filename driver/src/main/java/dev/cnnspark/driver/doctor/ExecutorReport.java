package dev.cnnspark.driver.doctor;

import com.aparapi.device.Device;
import com.aparapi.device.OpenCLDevice;
import dev.cnnspark.kernels.cpu.Gemm;
import dev.cnnspark.kernels.opencl.OpenClDevices;
import java.io.Serializable;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.SparkEnv;

/** What one executor JVM can offer a training job. */
public record ExecutorReport(String executorId, String host, int cores, long maxHeapMiB, long freeHeapMiB,
                             long freePhysicalMiB, String javaVersion, String sparkVersion, String aparapiVersion,
                             boolean vectorApi, List<String> openClDevices, int openClGpus, boolean signalChaining)
    implements Serializable {

  /** As JSON: what a probe task returns (a String needs no Kryo registration, unlike a record holding a List). */
  public String toJson() {
    try {
      return dev.cnnspark.worker.model.Json.MAPPER.writeValueAsString(this);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  public static ExecutorReport fromJson(String json) {
    try {
      return dev.cnnspark.worker.model.Json.MAPPER.readValue(json, ExecutorReport.class);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Probes the JVM this runs in. */
  public static ExecutorReport probe() {
    SparkEnv env = SparkEnv.get();
    String id = env == null ? "local" : env.executorId();
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      host = "?";
    }
    Runtime rt = Runtime.getRuntime();
    long freePhysical = -1;
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      freePhysical = os.getFreeMemorySize() >> 20;
    }
    List<String> devices = new ArrayList<>();
    int gpus = 0;
    for (OpenCLDevice d : OpenClDevices.list(null)) {
      devices.add(OpenClDevices.describe(d));
      gpus += d.getType() == Device.TYPE.GPU ? 1 : 0;
    }
    Package aparapi = com.aparapi.Kernel.class.getPackage();
    String aparapiVersion = aparapi.getImplementationVersion() != null ? aparapi.getImplementationVersion() : "3.0.2";
    return new ExecutorReport(id, host, rt.availableProcessors(), rt.maxMemory() >> 20,
        (rt.maxMemory() - rt.totalMemory() + rt.freeMemory()) >> 20, freePhysical,
        System.getProperty("java.version"), org.apache.spark.package$.MODULE$.SPARK_VERSION(), aparapiVersion,
        Gemm.vectorApiAvailable(), List.copyOf(devices), gpus,
        System.getenv().getOrDefault("LD_PRELOAD", "").contains("libjsig"));
  }
}
