package dev.cnnspark.kernels.cpu;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Lanes} on the Vector API, on the preferred species only (see {@link VectorGemm} on mixing shapes), with a
 * scalar tail. Dropout evaluates the index hash 16 lanes at a time (it was 8% of a model (a) step as a scalar loop
 * with an unpredictable branch per element); the keep test becomes {@code ((u - threshold) >> 31) + 1}, a 0/1 lane
 * converted to float, so the product is bit-identical to the scalar {@code keep ? scale : 0}.
 * Loaded only when {@code jdk.incubator.vector} is resolved.
 */
final class VectorLanes extends Lanes {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
  private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
  private static final int L = S.length();
  private final ScalarLanes tail = new ScalarLanes();

  /**
   * Whole rows, 16 floats at a time widened to two 8-double vectors: for 8 columns a vector holds two rows (summed
   * into separate accumulators, joined at the end); for a multiple of 16 columns, accumulators per 16 columns are
   * kept in {@code sum} itself. Other widths take the plain loop.
   */
  @Override
  public void columnSums(int from, int to, int cols, float[] dy, int dyOff, double[] sum) {
    if (L != 16 || D.length() != 8 || (cols != 8 && cols % 16 != 0)) {
      tail.columnSums(from, to, cols, dy, dyOff, sum);
      return;
    }
    if (cols == 8) {
      DoubleVector even = DoubleVector.zero(D);
      DoubleVector odd = DoubleVector.zero(D);
      int r = from;
      for (; r + 1 < to; r += 2) {
        FloatVector v = FloatVector.fromArray(S, dy, dyOff + r * 8);
        even = even.add(v.convertShape(VectorOperators.F2D, D, 0));
        odd = odd.add(v.convertShape(VectorOperators.F2D, D, 1));
      }
      DoubleVector.fromArray(D, sum, 0).add(even.add(odd)).intoArray(sum, 0);
      tail.columnSums(r, to, cols, dy, dyOff, sum);
      return;
    }
    for (int j = 0; j < cols; j += 16) {
      DoubleVector lo = DoubleVector.fromArray(D, sum, j);
      DoubleVector hi = DoubleVector.fromArray(D, sum, j + 8);
      for (int r = from; r < to; r++) {
        FloatVector v = FloatVector.fromArray(S, dy, dyOff + r * cols + j);
        lo = lo.add(v.convertShape(VectorOperators.F2D, D, 0));
        hi = hi.add(v.convertShape(VectorOperators.F2D, D, 1));
      }
      lo.intoArray(sum, j);
      hi.intoArray(sum, j + 8);
    }
  }

  /** Channels a vector at a time when they are a multiple of the vector (model (a)'s 64), else the plain loop. */
  @Override
  public void pairsMaxRow(float[] x, int in, int row, int ow, int c, float[] y, int out) {
    if (c % L != 0) {
      tail.pairsMaxRow(x, in, row, ow, c, y, out);
      return;
    }
    for (int ox = 0; ox < ow; ox++, in += 2 * c, out += c) {
      for (int ch = 0; ch < c; ch += L) {
        FloatVector m = FloatVector.fromArray(S, x, in + ch);
        FloatVector v = FloatVector.fromArray(S, x, in + c + ch);
        m = m.blend(v, v.compare(VectorOperators.GT, m));
        v = FloatVector.fromArray(S, x, in + row + ch);
        m = m.blend(v, v.compare(VectorOperators.GT, m));
        v = FloatVector.fromArray(S, x, in + row + c + ch);
        m.blend(v, v.compare(VectorOperators.GT, m)).intoArray(y, out + ch);
      }
    }
  }

  /**
   * As the plain loop, a vector of channels at a time: the strict compares in tap order give each tap's "won so
   * far" mask, the last winner takes dy and the other taps are written 0 (the windows do not overlap).
   */
  @Override
  public void pairsMaxRowBackward(float[] x, int xOff, int in, int row, int ow, int c, float[] dy, int out,
                                  float[] dx, int dxOff) {
    if (c % L != 0) {
      tail.pairsMaxRowBackward(x, xOff, in, row, ow, c, dy, out, dx, dxOff);
      return;
    }
    FloatVector zero = FloatVector.zero(S);
    for (int ox = 0; ox < ow; ox++, in += 2 * c, out += c) {
      for (int ch = 0; ch < c; ch += L) {
        int t00 = in + ch;
        int t01 = t00 + c;
        int t10 = t00 + row;
        int t11 = t10 + c;
        FloatVector m = FloatVector.fromArray(S, x, xOff + t00);
        FloatVector v = FloatVector.fromArray(S, x, xOff + t01);
        VectorMask<Float> s01 = v.compare(VectorOperators.GT, m);
        m = m.blend(v, s01);
        v = FloatVector.fromArray(S, x, xOff + t10);
        VectorMask<Float> s10 = v.compare(VectorOperators.GT, m);
        m = m.blend(v, s10);
        VectorMask<Float> s11 = FloatVector.fromArray(S, x, xOff + t11).compare(VectorOperators.GT, m);
        FloatVector g = FloatVector.fromArray(S, dy, out + ch);
        zero.blend(g, s11).intoArray(dx, dxOff + t11);
        zero.blend(g, s10.andNot(s11)).intoArray(dx, dxOff + t10);
        zero.blend(g, s01.andNot(s10).andNot(s11)).intoArray(dx, dxOff + t01);
        zero.blend(g, s01.or(s10).or(s11).not()).intoArray(dx, dxOff + t00);
      }
    }
  }

  @Override
  public void reluBackward(int from, int to, float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff) {
    int i = from;
    FloatVector zero = FloatVector.zero(S);
    for (int end = from + S.loopBound(to - from); i < end; i += L) {
      FloatVector out = FloatVector.fromArray(S, y, yOff + i);
      zero.blend(FloatVector.fromArray(S, dy, dyOff + i), out.compare(VectorOperators.GT, 0f))
          .intoArray(dx, dxOff + i);
    }
    tail.reluBackward(i, to, y, yOff, dy, dyOff, dx, dxOff);
  }

  @Override
  public void dropout(int from, int to, int seedLo, int seedHi, int threshold, float scale, float[] in, int inOff,
                      float[] out, int outOff) {
    int i = from;
    if (I.length() == L) {
      IntVector iota = IntVector.zero(I).addIndex(1);
      for (int end = from + S.loopBound(to - from); i < end; i += L) {
        IntVector x = mix(iota.add(i).lanewise(VectorOperators.XOR, seedLo));
        x = mix(x.add(seedHi));
        IntVector keep = x.lanewise(VectorOperators.LSHR, 8).sub(threshold).lanewise(VectorOperators.ASHR, 31).add(1);
        FloatVector k = (FloatVector) keep.convert(VectorOperators.I2F, 0);
        FloatVector.fromArray(S, in, inOff + i).mul(k.mul(scale)).intoArray(out, outOff + i);
      }
    }
    tail.dropout(i, to, seedLo, seedHi, threshold, scale, in, inOff, out, outOff);
  }

  /** {@link dev.cnnspark.kernels.dropout.DropoutMask}'s mixer, lane-wise. */
  private static IntVector mix(IntVector v) {
    IntVector x = v.lanewise(VectorOperators.XOR, v.lanewise(VectorOperators.LSHR, 16));
    x = x.mul(0x7feb352d);
    x = x.lanewise(VectorOperators.XOR, x.lanewise(VectorOperators.LSHR, 15));
    x = x.mul(0x846ca68b);
    return x.lanewise(VectorOperators.XOR, x.lanewise(VectorOperators.LSHR, 16));
  }
}
