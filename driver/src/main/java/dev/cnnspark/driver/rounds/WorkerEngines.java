package dev.cnnspark.driver.rounds;

import dev.cnnspark.kernels.Backend;
import dev.cnnspark.kernels.BackendKind;
import dev.cnnspark.kernels.Backends;
import dev.cnnspark.worker.data.Rows;
import dev.cnnspark.worker.model.Json;
import dev.cnnspark.worker.train.Augmentation;
import dev.cnnspark.worker.model.Loss;
import dev.cnnspark.worker.model.OptimizerConfig;
import dev.cnnspark.worker.model.Sequential;
import dev.cnnspark.worker.model.Trainer;
import dev.cnnspark.worker.train.FitLoop;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.resource.ResourceInformation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Executor-side pool of compiled engines (model + backend + bound trainer), created once per executor JVM and
 * reused across rounds; a task borrows one exclusively, so concurrent tasks of one executor never share a device
 * context. Also keeps each partition's deserialized shard, so a round does not pay to deserialize the cached
 * (Kryo-serialized) partition again; a re-executed task elsewhere reads it from the RDD as usual.
 */
public final class WorkerEngines {
  private static final Logger LOG = LoggerFactory.getLogger(WorkerEngines.class);
  private static final Map<EngineKey, Deque<Engine>> IDLE = new HashMap<>();
  private static final Map<Part, Rows> SHARDS = new HashMap<>();
  /** Each partition's example order for one epoch: built once per epoch, not once per round. */
  private static final Map<Part, Order> ORDERS = new HashMap<>();

  /**
   * One partition of one RDD of one Spark application: RDD ids start again at 0 in every SparkContext, and a JVM can
   * outlive one (local mode, notebooks, tests), so a shard cached for a run that ended without cleaning up (a failed
   * job) must not answer for another context's RDD of the same id.
   */
  private record Part(String app, int rddId, int partition) {
    Part(int rddId, int partition) {
      this(currentApp(), rddId, partition);
    }
  }

  /** The application this JVM works for now ("" outside Spark). */
  private static String currentApp() {
    SparkEnv env = SparkEnv.get();
    return env == null ? "" : env.conf().get("spark.app.id", "");
  }

  private record Order(int epoch, long seed, int[] order) {
  }

  private WorkerEngines() {
  }

  /** A compiled model bound to one backend. */
  public static final class Engine {
    final EngineKey key;
    final Sequential model;
    final Trainer trainer;
    final Backend backend;

    Engine(EngineKey key, Sequential model, Trainer trainer, Backend backend) {
      this.key = key;
      this.model = model;
      this.trainer = trainer;
      this.backend = backend;
    }

    public String device() {
      return backend.device();
    }
  }

  static Engine borrow(EngineKey key) {
    synchronized (IDLE) {
      Deque<Engine> idle = IDLE.get(key);
      if (idle != null && !idle.isEmpty()) {
        return idle.pop();
      }
    }
    return create(key);
  }

  static void giveBack(Engine e) {
    synchronized (IDLE) {
      IDLE.computeIfAbsent(e.key, k -> new ArrayDeque<>()).push(e);
    }
  }

  private static Engine create(EngineKey key) {
    Sequential model;
    try {
      model = Sequential.fromConfig(Json.MAPPER.readTree(key.modelJson()));
      model.seed(key.seed()).compile(OptimizerConfig.fromJson(Json.MAPPER.readTree(key.optimizerJson()), "optimizer"),
          Loss.parse(key.loss()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    BackendKind kind = BackendKind.parse(key.backend());
    Backend backend = Backends.open(kind, gpuIndex(), threads(key.threads()));
    model.useBackend(backend);
    Trainer trainer = model.trainer(key.batchSize());
    try {
      trainer.setAugmentation(key.augmentationJson().isEmpty() ? null
          : Augmentation.fromJson(Json.MAPPER.readTree(key.augmentationJson())));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    LOG.info("executor engine created on {}", backend.device());
    return new Engine(key, model, trainer, backend);
  }

  /** The GPU Spark's resource scheduling gave this task (first address), else device 0. */
  private static int gpuIndex() {
    TaskContext tc = TaskContext.get();
    if (tc != null) {
      ResourceInformation gpu = tc.resourcesJMap().get("gpu");
      if (gpu != null && gpu.addresses().length > 0) {
        try {
          return Integer.parseInt(gpu.addresses()[0]);
        } catch (NumberFormatException e) {
          throw new IllegalStateException("GPU address '" + gpu.addresses()[0] + "' is not an OpenCL device index");
        }
      }
    }
    return 0;
  }

  /**
   * Java-path threads: the configured number, else the cores Spark gives the task ({@code spark.task.cpus},
   * default 1), so concurrent tasks never oversubscribe the executor's cores; outside a task, all cores.
   */
  static int threads(int configured) {
    if (configured > 0) {
      return configured;
    }
    TaskContext tc = TaskContext.get();
    return tc != null ? Math.max(1, tc.cpus()) : Runtime.getRuntime().availableProcessors();
  }

  /**
   * The partition's examples: from this JVM's cache, else from the RDD iterator (the cached, serialized shard): its
   * arrays, or for a shard on disk its local file (written again here from its recipe when this executor has none).
   */
  static Rows shard(int rddId, int partition, Iterator<Shard> rows) {
    Part key = new Part(rddId, partition);
    synchronized (SHARDS) {
      Rows d = SHARDS.get(key);
      if (d != null) {
        return d;
      }
    }
    if (!rows.hasNext()) {
      throw new IllegalStateException("partition " + partition + " of RDD " + rddId + " holds no shard");
    }
    Shard s = rows.next();
    Rows d;
    if (s.onDisk()) {
      Shard local = java.nio.file.Files.isRegularFile(java.nio.file.Path.of(s.file)) ? s : ShardSource.rebuild(s);
      try {
        d = new FileRows(java.nio.file.Path.of(local.file), dev.cnnspark.worker.Shape.of(local.shape),
            local.labelWidth, local.count, local.rows);
      } catch (IOException e) {
        throw new UncheckedIOException("opening shard file " + local.file, e);
      }
    } else {
      d = s.dataset();
    }
    synchronized (SHARDS) {
      SHARDS.put(key, d);
    }
    return d;
  }

  /** Drops cached shards (closing the files of those on disk, and deleting them) that {@code drop} selects. */
  private static void drop(java.util.function.Predicate<Part> drop) {
    synchronized (SHARDS) {
      SHARDS.entrySet().removeIf(e -> {
        if (!drop.test(e.getKey())) {
          return false;
        }
        if (e.getValue() instanceof FileRows f) {
          f.delete();
        }
        return true;
      });
      ORDERS.keySet().removeIf(drop);
    }
  }

  /** The partition's example order in an epoch ({@link FitLoop#permutation}), kept while the epoch lasts. */
  static int[] order(int rddId, int partition, int count, long seed, int epoch) {
    Part key = new Part(rddId, partition);
    synchronized (SHARDS) {
      Order o = ORDERS.get(key);
      if (o != null && o.epoch() == epoch && o.seed() == seed && o.order().length == count) {
        return o.order();
      }
    }
    int[] order = FitLoop.permutation(count, seed, epoch);
    synchronized (SHARDS) {
      ORDERS.put(key, new Order(epoch, seed, order));
    }
    return order;
  }

  /**
   * Called on each executor by the first job of a training run ({@link LoadTask}): drops what earlier runs of this
   * JVM left behind (shards and orders of other RDDs and applications, idle engines of other models), since a
   * long-lived application that trains several models would otherwise keep them until it ends. Anything dropped by
   * mistake is rebuilt: a shard from the cached RDD partition, an engine from its key.
   */
  static void startRun(EngineKey key, int[] liveRddIds) {
    java.util.Set<Integer> live = new java.util.HashSet<>();
    for (int id : liveRddIds) {
      live.add(id);
    }
    String app = currentApp();
    drop(k -> !k.app().equals(app) || !live.contains(k.rddId()));
    java.util.List<Engine> stale = new java.util.ArrayList<>();
    synchronized (IDLE) {
      IDLE.entrySet().removeIf(e -> {
        if (e.getKey().equals(key)) {
          return false;
        }
        stale.addAll(e.getValue());
        return true;
      });
    }
    for (Engine e : stale) {
      e.model.close();
      e.backend.close();
      LOG.info("closed an idle engine of an earlier training run on {}", e.device());
    }
  }

  /** Drops cached shards of an RDD (the driver unpersists it at the end of a job; in its own JVM only). */
  public static void forget(int rddId) {
    String app = currentApp();
    drop(k -> k.app().equals(app) && k.rddId() == rddId);
  }
}
