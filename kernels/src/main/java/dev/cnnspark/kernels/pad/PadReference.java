package dev.cnnspark.kernels.pad;

import dev.cnnspark.kernels.PadGeometry;

/**
 * Plain-Java reference of zero padding / cropping: {@code y[b, oy, ox, ch] = x[b, oy - top, ox - left, ch]} where
 * that is inside x, else 0; {@code dx[b, iy, ix, ch] = dy[b, iy + top, ix + left, ch]} where that is inside y, else 0
 * (an input cropped away gets no gradient).
 */
public final class PadReference {
  private PadReference() {
  }

  public static void forward(PadGeometry g, float[] x, int xOff, float[] y, int yOff) {
    for (int b = 0; b < g.n(); b++) {
      for (int oy = 0; oy < g.oh(); oy++) {
        for (int ox = 0; ox < g.ow(); ox++) {
          int iy = oy - g.top();
          int ix = ox - g.left();
          boolean inside = iy >= 0 && iy < g.h() && ix >= 0 && ix < g.w();
          for (int ch = 0; ch < g.c(); ch++) {
            y[yOff + ((b * g.oh() + oy) * g.ow() + ox) * g.c() + ch] =
                inside ? x[xOff + ((b * g.h() + iy) * g.w() + ix) * g.c() + ch] : 0f;
          }
        }
      }
    }
  }

  public static void backward(PadGeometry g, float[] dy, int dyOff, float[] dx, int dxOff) {
    for (int b = 0; b < g.n(); b++) {
      for (int iy = 0; iy < g.h(); iy++) {
        for (int ix = 0; ix < g.w(); ix++) {
          int oy = iy + g.top();
          int ox = ix + g.left();
          boolean inside = oy >= 0 && oy < g.oh() && ox >= 0 && ox < g.ow();
          for (int ch = 0; ch < g.c(); ch++) {
            dx[dxOff + ((b * g.h() + iy) * g.w() + ix) * g.c() + ch] =
                inside ? dy[dyOff + ((b * g.oh() + oy) * g.ow() + ox) * g.c() + ch] : 0f;
          }
        }
      }
    }
  }
}
