package dev.cnnspark.kernels.opencl;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.aparapi.internal.model.ClassModel;
import com.aparapi.internal.model.Entrypoint;
import com.aparapi.internal.writer.KernelWriter;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Translates the device kernel to OpenCL C with Aparapi's own translator, no OpenCL runtime needed: a Java construct
 * Aparapi cannot translate (switch, break, an object field, a missing intrinsic) fails the build here instead of
 * silently falling back to Java threads on a cluster. Also checks that every op method of the kernel chain is
 * reachable from {@code run()}, and writes the source to {@code target/DeviceKernel.cl} for reading.
 */
class KernelTranslationTest {

  @Test
  void everyOpTranslatesToOpenCl() throws Exception {
    DeviceKernel kernel = new DeviceKernel();
    ClassModel model = ClassModel.createClassModel(DeviceKernel.class);
    Entrypoint entry = model.getEntrypoint("run", kernel);
    String source = KernelWriter.writeToString(entry);
    Files.writeString(Path.of("target", "DeviceKernel.cl"), source);

    assertTrue(source.contains("__kernel void run("), "no kernel entry point in the generated source");
    List<String> missing = new ArrayList<>();
    for (Class<?> c = DeviceKernel.class.getSuperclass(); c != KernelArgs.class; c = c.getSuperclass()) {
      for (Method m : c.getDeclaredMethods()) {
        if (!Modifier.isStatic(m.getModifiers())) {
          String mangled = c.getName().replace('.', '_') + "__" + m.getName() + "(";
          if (!source.contains(mangled)) {
            missing.add(c.getSimpleName() + "." + m.getName());
          }
        }
      }
    }
    assertTrue(missing.isEmpty(), "op methods not reachable from DeviceKernel.run(): " + missing);
    // intrinsics must map to OpenCL built-ins, not to translated Java (which would drag in java.lang.Math)
    for (String builtin : new String[] {"exp(", "log(", "sqrt(", "tanh(", "log1p("}) {
      assertTrue(source.contains(builtin), "expected OpenCL built-in " + builtin);
    }
    assertTrue(!source.contains("java_lang_Math"), "java.lang.Math leaked into the device source");
    assertTrue(!source.contains("double"), "device source uses double precision");
  }
}
