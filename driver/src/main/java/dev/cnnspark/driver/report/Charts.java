package dev.cnnspark.driver.report;

import dev.cnnspark.worker.train.ConfusionMatrix;
import dev.cnnspark.worker.train.History;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.PiePlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.PaintScale;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.general.DefaultPieDataset;
import org.jfree.data.xy.DefaultXYZDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** The report's charts, drawn by JFreeChart (headless) as PNG bytes. */
final class Charts {
  static final int WIDTH = 720;
  static final int HEIGHT = 400;

  static {
    System.setProperty("java.awt.headless", "true");
  }

  private Charts() {
  }

  /** {@code metric} and {@code val_<metric>} per epoch (1-based on the axis, as Keras' progress lines count). */
  static byte[] perEpoch(History history, String metric, String title) {
    XYSeriesCollection data = new XYSeriesCollection();
    for (String key : List.of(metric, "val_" + metric)) {
      List<Double> values = history.asMap().get(key);
      if (values == null) {
        continue;
      }
      XYSeries s = new XYSeries(key.startsWith("val_") ? "validation" : "training");
      List<Integer> epochs = history.epochs();
      for (int i = 0; i < values.size(); i++) {
        s.add(epochs.get(i) + 1, values.get(i));
      }
      data.addSeries(s);
    }
    JFreeChart chart = ChartFactory.createXYLineChart(title, "epoch", metric, data);
    XYPlot plot = chart.getXYPlot();
    ((NumberAxis) plot.getDomainAxis()).setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    ((NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(false);
    XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, true);
    r.setSeriesPaint(0, new Color(0x1f77b4));
    r.setSeriesPaint(1, new Color(0xff7f0e));
    r.setDefaultStroke(new BasicStroke(2f));
    r.setAutoPopulateSeriesStroke(false);
    plot.setRenderer(r);
    return png(chart, WIDTH, HEIGHT);
  }

  /** The training loss of every round, by round number. */
  static byte[] roundLoss(List<RoundRecord> rounds) {
    XYSeries s = new XYSeries("training loss (round)");
    rounds.forEach(r -> s.add(r.globalRound(), r.loss()));
    JFreeChart chart = ChartFactory.createXYLineChart("Training loss per round", "round", "loss",
        new XYSeriesCollection(s));
    ((NumberAxis) chart.getXYPlot().getRangeAxis()).setAutoRangeIncludesZero(false);
    chart.getXYPlot().getRenderer().setSeriesPaint(0, new Color(0x1f77b4));
    return png(chart, WIDTH, HEIGHT);
  }

  /** Where the rounds' wall time went, summed over the rounds (milliseconds by part). */
  static byte[] roundTime(Map<String, Double> parts) {
    DefaultPieDataset<String> data = new DefaultPieDataset<>();
    parts.forEach((k, v) -> data.setValue(k, Math.max(0, v)));
    JFreeChart chart = ChartFactory.createPieChart("Where the rounds' time went", data);
    @SuppressWarnings("unchecked")
    PiePlot<String> plot = (PiePlot<String>) chart.getPlot();
    plot.setLabelGenerator(new org.jfree.chart.labels.StandardPieSectionLabelGenerator("{0}: {2}"));
    return png(chart, WIDTH, HEIGHT);
  }

  /**
   * The confusion matrix as a heat map: true class down, predicted across, each cell coloured by its share of the
   * true class (so rare classes show as clearly as common ones) and labelled with its count when there are at most
   * 20 classes.
   */
  static byte[] confusion(ConfusionMatrix cm, List<String> names) {
    int n = cm.classes();
    double[][] xyz = new double[3][n * n];
    for (int t = 0; t < n; t++) {
      long row = cm.support(t);
      for (int p = 0; p < n; p++) {
        int i = t * n + p;
        xyz[0][i] = p;
        xyz[1][i] = t;
        xyz[2][i] = row == 0 ? 0 : (double) cm.count(t, p) / row;
      }
    }
    DefaultXYZDataset data = new DefaultXYZDataset();
    data.addSeries("share of the true class", xyz);
    String[] labels = new String[n];
    for (int c = 0; c < n; c++) {
      labels[c] = c < names.size() ? names.get(c) : Integer.toString(c);
    }
    SymbolAxis predicted = new SymbolAxis("predicted class", labels);
    SymbolAxis truth = new SymbolAxis("true class", labels);
    truth.setInverted(true);
    predicted.setGridBandsVisible(false);
    truth.setGridBandsVisible(false);
    XYBlockRenderer r = new XYBlockRenderer();
    r.setPaintScale(new Blues());
    XYPlot plot = new XYPlot(data, predicted, truth, r);
    plot.setDomainGridlinesVisible(false);
    plot.setRangeGridlinesVisible(false);
    if (n <= 20) {
      Font font = new Font(Font.SANS_SERIF, Font.PLAIN, n <= 10 ? 12 : 9);
      for (int t = 0; t < n; t++) {
        for (int p = 0; p < n; p++) {
          XYTextAnnotation a = new XYTextAnnotation(Long.toString(cm.count(t, p)), p, t);
          a.setFont(font);
          a.setPaint(xyz[2][t * n + p] > 0.5 ? Color.WHITE : Color.BLACK);
          plot.addAnnotation(a);
        }
      }
    }
    JFreeChart chart = new JFreeChart(String.format(Locale.ROOT, "Confusion matrix (accuracy %.4f)", cm.accuracy()),
        JFreeChart.DEFAULT_TITLE_FONT, plot, false);
    int side = Math.max(480, Math.min(1200, 60 + 40 * n));
    return png(chart, side + 80, side);
  }

  /** White to dark blue over [0, 1]. */
  private static final class Blues implements PaintScale {
    @Override
    public double getLowerBound() {
      return 0;
    }

    @Override
    public double getUpperBound() {
      return 1;
    }

    @Override
    public Paint getPaint(double value) {
      double v = Math.max(0, Math.min(1, value));
      return new Color((int) (247 - v * 239), (int) (251 - v * 203), (int) (255 - v * 148));
    }
  }

  private static byte[] png(JFreeChart chart, int width, int height) {
    chart.setBackgroundPaint(Color.WHITE);
    chart.getPlot().setBackgroundPaint(Color.WHITE);
    chart.getPlot().setOutlinePaint(Color.LIGHT_GRAY);
    if (chart.getPlot() instanceof XYPlot xy) {
      xy.setDomainGridlinePaint(new Color(0xdddddd));
      xy.setRangeGridlinePaint(new Color(0xdddddd));
    }
    if (chart.getPlot() instanceof PiePlot<?> pie) {
      pie.setShadowPaint(null);
      pie.setLabelBackgroundPaint(Color.WHITE);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ChartUtils.writeChartAsPNG(out, chart, width, height);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
