package dev.cnnspark.worker.io;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one binary container of weights files and checkpoints: named sections of bytes (JSON text or little-endian
 * float32 arrays) and a SHA-256 over all of it. Reading checks magic, version, section table and checksum before
 * anything is used, and never instantiates a class named by the file.
 *
 * <pre>
 * "CNNSPARK" | u32 version | u32 sections | sections x (u16 name length, name UTF-8, u64 length) | payloads
 * | 32-byte SHA-256 of everything before it
 * </pre>
 */
public final class StateFile {
  public static final int VERSION = 1;
  private static final byte[] MAGIC = "CNNSPARK".getBytes(StandardCharsets.US_ASCII);
  private static final long MAX_SECTION = 1L << 34;

  private final Map<String, byte[]> sections = new LinkedHashMap<>();

  public StateFile putJson(String name, String json) {
    return put(name, json.getBytes(StandardCharsets.UTF_8));
  }

  public StateFile putFloats(String name, float[] values) {
    ByteBuffer b = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(values);
    return put(name, b.array());
  }

  public StateFile put(String name, byte[] bytes) {
    if (name.isEmpty() || name.length() > 200) {
      throw new IllegalArgumentException("bad section name '" + name + "'");
    }
    sections.put(name, bytes);
    return this;
  }

  public boolean has(String name) {
    return sections.containsKey(name);
  }

  public String json(String name) {
    return new String(require(name), StandardCharsets.UTF_8);
  }

  public float[] floats(String name) {
    byte[] b = require(name);
    if (b.length % Float.BYTES != 0) {
      throw new CorruptStateFileException("section '" + name + "' has " + b.length + " bytes, not a float array");
    }
    float[] out = new float[b.length / Float.BYTES];
    ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
    return out;
  }

  private byte[] require(String name) {
    byte[] b = sections.get(name);
    if (b == null) {
      throw new CorruptStateFileException("section '" + name + "' missing (present: " + sections.keySet() + ")");
    }
    return b;
  }

  public void write(OutputStream out) throws IOException {
    MessageDigest sha = sha256();
    ByteArrayOutputStream header = new ByteArrayOutputStream();
    DataOutputStream h = new DataOutputStream(header);
    h.write(MAGIC);
    h.writeInt(VERSION);
    h.writeInt(sections.size());
    for (Map.Entry<String, byte[]> e : sections.entrySet()) {
      byte[] name = e.getKey().getBytes(StandardCharsets.UTF_8);
      h.writeShort(name.length);
      h.write(name);
      h.writeLong(e.getValue().length);
    }
    h.flush();
    byte[] head = header.toByteArray();
    out.write(head);
    sha.update(head);
    for (byte[] payload : sections.values()) {
      out.write(payload);
      sha.update(payload);
    }
    out.write(sha.digest());
    out.flush();
  }

  /**
   * Reads and verifies a state file.
   *
   * @param name for messages (a path or URI)
   * @throws CorruptStateFileException on any structural problem or checksum mismatch
   */
  public static StateFile read(InputStream in, String name) throws IOException {
    byte[] all = in.readAllBytes();
    if (all.length < MAGIC.length + 8 + 32 || !Arrays.equals(Arrays.copyOf(all, MAGIC.length), MAGIC)) {
      throw new CorruptStateFileException(name + ": not a cnnspark state file (bad magic or too short: "
          + all.length + " bytes)");
    }
    MessageDigest sha = sha256();
    sha.update(all, 0, all.length - 32);
    byte[] stored = Arrays.copyOfRange(all, all.length - 32, all.length);
    byte[] computed = sha.digest();
    if (!MessageDigest.isEqual(stored, computed)) {
      throw new CorruptStateFileException(name + ": checksum mismatch (stored " + HexFormat.of().formatHex(stored, 0, 8)
          + "..., computed " + HexFormat.of().formatHex(computed, 0, 8) + "...): the file is truncated or corrupt");
    }
    ByteBuffer b = ByteBuffer.wrap(all, 0, all.length - 32).order(ByteOrder.BIG_ENDIAN);
    b.position(MAGIC.length);
    int version = b.getInt();
    if (version != VERSION) {
      throw new CorruptStateFileException(name + ": format version " + version + " not supported (this build reads "
          + VERSION + ")");
    }
    int count = b.getInt();
    if (count < 0 || count > 10_000) {
      throw new CorruptStateFileException(name + ": implausible section count " + count);
    }
    String[] names = new String[count];
    long[] lengths = new long[count];
    for (int i = 0; i < count; i++) {
      int len = Short.toUnsignedInt(b.getShort());
      byte[] nb = new byte[len];
      b.get(nb);
      names[i] = new String(nb, StandardCharsets.UTF_8);
      lengths[i] = b.getLong();
      if (lengths[i] < 0 || lengths[i] > MAX_SECTION) {
        throw new CorruptStateFileException(name + ": section '" + names[i] + "' has length " + lengths[i]);
      }
    }
    StateFile f = new StateFile();
    for (int i = 0; i < count; i++) {
      if (lengths[i] > b.remaining()) {
        throw new CorruptStateFileException(name + ": section '" + names[i] + "' runs past the end of the file");
      }
      byte[] payload = new byte[(int) lengths[i]];
      b.get(payload);
      f.sections.put(names[i], payload);
    }
    if (b.remaining() != 0) {
      throw new CorruptStateFileException(name + ": " + b.remaining() + " unexpected bytes after the sections");
    }
    return f;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
