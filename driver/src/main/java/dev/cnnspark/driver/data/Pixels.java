package dev.cnnspark.driver.data;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;

/**
 * A decoded image into a row of floats, HWC: colour conversion (grayscale as ITU-R 601 luma, PIL's "L":
 * {@code (299 R + 587 G + 114 B) / 1000}; rgb; rgba) then, when the size differs, a bilinear resize with half-pixel
 * centres (what {@code tf.image.resize} does for {@code image_dataset_from_directory}), then the rescale.
 */
final class Pixels {
  private Pixels() {
  }

  /**
   * A one-band grey image (an 8- or 16-bit grey PNG): Java's getRGB would pass it through a linear-to-sRGB
   * conversion and change every value, so its samples are read as they are stored (and replicated into R, G, B, as
   * PIL converts "L" to "RGB").
   */
  private static boolean gray(BufferedImage img) {
    return img.getRaster().getNumBands() == 1 && !(img.getColorModel() instanceof IndexColorModel);
  }

  private static int[] grayAsArgb(BufferedImage img) {
    int w = img.getWidth();
    int h = img.getHeight();
    int shift = img.getColorModel().getComponentSize(0) - 8;
    int[] out = new int[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int v = img.getRaster().getSample(x, y, 0) >> Math.max(0, shift);
        out[y * w + x] = 0xff000000 | v << 16 | v << 8 | v;
      }
    }
    return out;
  }

  static void fill(BufferedImage img, int h, int w, int channels, Rescale rescale, float[] out, int offset) {
    int ih = img.getHeight();
    int iw = img.getWidth();
    float[] src = new float[ih * iw * channels];
    int[] argb = gray(img) ? grayAsArgb(img) : img.getRGB(0, 0, iw, ih, null, 0, iw);
    for (int i = 0; i < ih * iw; i++) {
      int p = argb[i];
      int a = p >>> 24;
      int r = (p >> 16) & 0xff;
      int g = (p >> 8) & 0xff;
      int b = p & 0xff;
      int o = i * channels;
      if (channels == 1) {
        src[o] = (r * 299 + g * 587 + b * 114) / 1000; // integer luma, as PIL
      } else {
        src[o] = r;
        src[o + 1] = g;
        src[o + 2] = b;
        if (channels == 4) {
          src[o + 3] = a;
        }
      }
    }
    if (ih == h && iw == w) {
      for (int i = 0; i < src.length; i++) {
        out[offset + i] = rescale.pixel(src[i]);
      }
      return;
    }
    float sy = (float) ih / h;
    float sx = (float) iw / w;
    for (int y = 0; y < h; y++) {
      float fy = Math.max(0, (y + 0.5f) * sy - 0.5f);
      int y0 = Math.min((int) fy, ih - 1);
      int y1 = Math.min(y0 + 1, ih - 1);
      float dy = fy - y0;
      for (int x = 0; x < w; x++) {
        float fx = Math.max(0, (x + 0.5f) * sx - 0.5f);
        int x0 = Math.min((int) fx, iw - 1);
        int x1 = Math.min(x0 + 1, iw - 1);
        float dx = fx - x0;
        for (int c = 0; c < channels; c++) {
          float top = src[(y0 * iw + x0) * channels + c] * (1 - dx) + src[(y0 * iw + x1) * channels + c] * dx;
          float bottom = src[(y1 * iw + x0) * channels + c] * (1 - dx) + src[(y1 * iw + x1) * channels + c] * dx;
          out[offset + (y * w + x) * channels + c] = rescale.pixel(top * (1 - dy) + bottom * dy);
        }
      }
    }
  }
}
