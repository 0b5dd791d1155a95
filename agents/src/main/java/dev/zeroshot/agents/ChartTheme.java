package dev.zeroshot.agents;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import java.awt.Shape;
import java.awt.Stroke;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.StandardChartTheme;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.plot.DefaultDrawingSupplier;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;

/**
 * The one look of every chart Zeroshot draws (learning curves, MBTL's V_k curves and transfer
 * matrix, curriculum and benchmark charts, the offline example's plots): white background, light
 * grid, flat bars, sans-serif fonts big enough to read when the PNG is shown at half size, and the
 * Okabe-Ito palette (Okabe and Ito 2008), whose eight colours stay apart under the common forms of
 * colour blindness. Beyond eight series the colours repeat with another marker shape and dash.
 */
public final class ChartTheme {

  static {
    System.setProperty("java.awt.headless", "true");
  }

  /** Okabe-Ito, black last (it is also the text colour): blue, orange, bluish green, vermillion, ... */
  public static final Color[] PALETTE = {
      new Color(0x0072B2), new Color(0xE69F00), new Color(0x009E73), new Color(0xD55E00),
      new Color(0xCC79A7), new Color(0x56B4E9), new Color(0xF0E442), new Color(0x000000)};

  /** Grid lines and the grey of "not there" cells. */
  public static final Color GRID = new Color(0xE0E0E0);

  private static final String FONT = Font.SANS_SERIF;

  private static final StandardChartTheme THEME = theme();

  private ChartTheme() {}

  /** Series {@code i}'s colour: the palette in order, repeating after eight. */
  public static Color color(int i) {
    return PALETTE[Math.floorMod(i, PALETTE.length)];
  }

  /** {@code c} with opacity {@code alpha} (0..1): raw points behind a smoothed line, bands. */
  public static Color faint(Color c, double alpha) {
    return new Color(c.getRed(), c.getGreen(), c.getBlue(), (int) Math.round(255 * alpha));
  }

  /** Series {@code i}'s marker: circle, square, diamond, triangle, changing with each round of the palette. */
  public static Shape marker(int i) {
    double r = 4;
    switch (Math.floorMod(i / PALETTE.length, 4)) {
      case 0:
        return new Ellipse2D.Double(-r, -r, 2 * r, 2 * r);
      case 1:
        return new Rectangle2D.Double(-r, -r, 2 * r, 2 * r);
      case 2: {
        Path2D.Double d = new Path2D.Double();
        d.moveTo(0, -r - 1);
        d.lineTo(r + 1, 0);
        d.lineTo(0, r + 1);
        d.lineTo(-r - 1, 0);
        d.closePath();
        return d;
      }
      default: {
        Path2D.Double t = new Path2D.Double();
        t.moveTo(0, -r - 1);
        t.lineTo(r + 1, r);
        t.lineTo(-r - 1, r);
        t.closePath();
        return t;
      }
    }
  }

  /** A line of {@code width}; dashed from the second round of the palette on (or when asked). */
  public static Stroke line(int i, float width, boolean dashed) {
    if (dashed || Math.floorMod(i / PALETTE.length, 2) == 1) {
      return new BasicStroke(width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[] {6f, 4f}, 0f);
    }
    return new BasicStroke(width, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
  }

  /** A title, as every chart's. */
  public static Font titleFont() {
    return new Font(FONT, Font.BOLD, 18);
  }

  /** Axis and colour-bar labels. */
  public static Font labelFont() {
    return new Font(FONT, Font.PLAIN, 15);
  }

  /** Tick labels and legend entries. */
  public static Font tickFont() {
    return new Font(FONT, Font.PLAIN, 13);
  }

  /**
   * Applies the theme to a built chart: fonts, white backgrounds, grid, flat bars, no shadows,
   * the palette as the series colours. Call it before setting anything series-specific.
   */
  public static JFreeChart apply(JFreeChart chart) {
    THEME.apply(chart);
    if (chart.getLegend() != null) {
      chart.getLegend().setFrame(BlockBorder.NONE);
    }
    return chart;
  }

  /** Writes {@code chart} as a {@code w} x {@code h} PNG, atomically (a reader never sees half a file). */
  public static void save(JFreeChart chart, Path file, int w, int h) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    ChartUtils.saveChartAsPNG(tmp.toFile(), chart, w, h);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static StandardChartTheme theme() {
    StandardChartTheme t = new StandardChartTheme("zeroshot", false);
    t.setExtraLargeFont(titleFont());
    t.setLargeFont(labelFont());
    t.setRegularFont(tickFont());
    t.setSmallFont(tickFont());
    t.setTitlePaint(Color.BLACK);
    t.setSubtitlePaint(new Color(0x444444));
    t.setChartBackgroundPaint(Color.WHITE);
    t.setLegendBackgroundPaint(Color.WHITE);
    t.setLegendItemPaint(Color.BLACK);
    t.setPlotBackgroundPaint(Color.WHITE);
    t.setPlotOutlinePaint(new Color(0x999999));
    t.setDomainGridlinePaint(GRID);
    t.setRangeGridlinePaint(GRID);
    t.setAxisLabelPaint(Color.BLACK);
    t.setTickLabelPaint(new Color(0x333333));
    t.setBarPainter(new StandardBarPainter());
    t.setXYBarPainter(new StandardXYBarPainter());
    t.setShadowVisible(false);
    Paint[] fill = PALETTE.clone();
    t.setDrawingSupplier(new DefaultDrawingSupplier(fill, fill, fill,
        new Stroke[] {new BasicStroke(2f)}, new Stroke[] {new BasicStroke(1f)},
        DefaultDrawingSupplier.DEFAULT_SHAPE_SEQUENCE));
    return t;
  }
}
