package dev.cnnspark.kernels;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Times every op of a {@link Backend} and counts its device launches ({@link Backend#launches()}: a split product
 * launches twice, a download after uploads once) and host/device bytes, for the per-op breakdown of a training step.
 * {@link #backend()} is the wrapped backend to train on: a dynamic proxy, so every op of the interface
 * is timed without a hand-written delegate per op (the reflective call costs well under a microsecond, against ops
 * of tens of microseconds and more). Every op of both backends returns only when its work is done (Aparapi's
 * execute is synchronous), so wall time per call is the op's time.
 */
public final class ProfilingBackend implements InvocationHandler {

  /** Calls that are not ops: passed through untimed. */
  private static final Set<String> UNTIMED = Set.of("kind", "device", "launches", "allocate", "host", "finish",
      "close");

  /** Calls, nanoseconds, device launches and bytes moved of one op. */
  public static final class Stat {
    public long calls;
    public long nanos;
    public long launches;
    public long bytes;
  }

  private final Backend delegate;
  private final Backend proxy;
  private final Map<String, Stat> stats = new TreeMap<>();

  public ProfilingBackend(Backend delegate) {
    this.delegate = delegate;
    this.proxy = (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[] {Backend.class},
        this);
  }

  /** The delegate with every op timed. Closing it closes the delegate. */
  public Backend backend() {
    return proxy;
  }

  public Map<String, Stat> stats() {
    return stats;
  }

  public void reset() {
    stats.clear();
  }

  @Override
  public Object invoke(Object self, Method method, Object[] args) throws Throwable {
    String name = method.getName();
    if (method.getDeclaringClass() == Object.class) {
      return switch (name) {
        case "equals" -> self == args[0];
        case "hashCode" -> System.identityHashCode(self);
        default -> "ProfilingBackend(" + delegate + ")";
      };
    }
    long launches0 = delegate.launches();
    long t0 = System.nanoTime();
    Object result;
    try {
      result = method.invoke(delegate, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
    if (!UNTIMED.contains(name)) {
      long nanos = System.nanoTime() - t0;
      boolean transfer = name.equals("upload") || name.equals("download");
      String op = transfer ? name + " " + args[0] : name;
      long bytes = transfer && delegate.kind() != BackendKind.JAVA ? 4L * delegate.host((Arena) args[0]).length : 0;
      Stat s = stats.computeIfAbsent(op, k -> new Stat());
      s.calls++;
      s.nanos += nanos;
      s.launches += delegate.launches() - launches0;
      s.bytes += bytes;
    }
    return result;
  }

  /** A table: op, calls, total ms, share, MB moved. */
  public String table() {
    long total = stats.values().stream().mapToLong(s -> s.nanos).sum();
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-24s %8s %10s %7s %10s%n", "op", "calls", "ms",
        "share", "MB moved"));
    stats.entrySet().stream().sorted((x, y) -> Long.compare(y.getValue().nanos, x.getValue().nanos)).forEach(e ->
        sb.append(String.format(Locale.ROOT, "%-24s %8d %10.1f %6.1f%% %10.1f%n", e.getKey(), e.getValue().calls,
            e.getValue().nanos / 1e6, 100.0 * e.getValue().nanos / Math.max(1, total), e.getValue().bytes / 1e6)));
    return sb.toString();
  }
}
