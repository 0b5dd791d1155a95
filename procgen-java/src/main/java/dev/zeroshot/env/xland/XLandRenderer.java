package dev.zeroshot.env.xland;

import dev.zeroshot.env.Env;
import java.awt.image.BufferedImage;

/**
 * Draws an XLand world for people, after XLand-MiniGrid's RGB renderer (itself MiniGrid's): every
 * cell a {@code tile x tile} pixel square with its tile's shape in its colour (the shapes and the
 * colours are its), the agent a pure red triangle pointing where it faces, the cells of the agent's view
 * lightened, and below the grid a strip whose first cell shows the pocket (empty: black). Each
 * pixel is coloured by testing its centre against the shapes, so the same world gives the same
 * pixels everywhere.
 */
public final class XLandRenderer {

  /** RGB of each colour id (XLand-MiniGrid's COLORS_MAP; the empty colour white). */
  private static final int[] RGB = {0xFFFFFF, 0xFF0000, 0x00FF00, 0x0000FF, 0x7027C3, 0xFFFF00, 0x646464, 0x000000,
      0xFF8C00, 0xFFFFFF, 0xA0522D, 0xE11493};
  private static final int GRID_LINE = 0x646464;
  /** The agent's colour. */
  public static final int AGENT = RGB[Tiles.RED];

  private final int tile;
  private final int view;

  /** @param tile pixels per cell side; @param view the agent's view size, the cells to lighten */
  public XLandRenderer(int tile, int view) {
    if (tile < 4 || tile > 64) {
      throw new IllegalArgumentException("tile size must be in [4, 64] pixels, got " + tile);
    }
    this.tile = tile;
    this.view = view;
  }

  /** The XLand world inside a registered XLand env (plain, trial or ruleset-visible), or null for any other env. */
  public static XLandEnv xland(Env env) {
    if (env instanceof XLandEnv x) {
      return x;
    }
    if (env instanceof XLandTrialEnv t) {
      return t.episode();
    }
    if (env instanceof XLandRulesetObservationEnv r) {
      return r.episode();
    }
    return null;
  }

  /** The world as an image: {@code width * tile} by {@code (height + 1) * tile} pixels, the last row the pocket strip. */
  public BufferedImage render(World w) {
    BufferedImage img = new BufferedImage(w.width * tile, (w.height + 1) * tile, BufferedImage.TYPE_INT_RGB);
    boolean[] inView = viewCells(w);
    for (int y = 0; y < w.height; y++) {
      for (int x = 0; x < w.width; x++) {
        boolean agent = x == w.agentX && y == w.agentY;
        drawCell(img, x, y, w.get(x, y), agent ? w.direction : -1, inView[y * w.width + x]);
      }
    }
    for (int x = 0; x < w.width; x++) {
      drawCell(img, x, w.height, x == 0 && w.pocket != Tiles.NOTHING ? w.pocket : Tiles.FLOOR_CELL, -1, false);
    }
    return img;
  }

  /** The cells the agent's view covers (as {@link XLandEnv}'s observation reads them). */
  private boolean[] viewCells(World w) {
    boolean[] in = new boolean[w.width * w.height];
    int d = w.direction;
    int half = view / 2;
    for (int ahead = 0; ahead < view; ahead++) {
      for (int right = -half; right <= half; right++) {
        int x = w.agentX + ahead * World.DX[d] + right * World.DX[(d + 1) & 3];
        int y = w.agentY + ahead * World.DY[d] + right * World.DY[(d + 1) & 3];
        if (x >= 0 && y >= 0 && x < w.width && y < w.height) {
          in[y * w.width + x] = true;
        }
      }
    }
    return in;
  }

  private void drawCell(BufferedImage img, int cx, int cy, int cell, int agentDirection, boolean lighten) {
    for (int py = 0; py < tile; py++) {
      for (int px = 0; px < tile; px++) {
        double u = (px + 0.5) / tile;
        double v = (py + 0.5) / tile;
        int rgb = shade(cell, u, v);
        if (lighten) {
          rgb = lighten(rgb);
        }
        if (agentDirection >= 0 && inAgent(u, v, agentDirection)) {
          rgb = AGENT; // drawn over the view's lightening: the agent stays pure red
        }
        img.setRGB(cx * tile + px, cy * tile + py, rgb);
      }
    }
  }

  /** The colour of point (u, v) of a cell (0..1 across, 0..1 down). */
  static int shade(int cell, double u, double v) {
    int t = Tiles.tile(cell);
    int c = RGB[Math.min(Tiles.color(cell), RGB.length - 1)];
    boolean gridLine = u < 0.031 || v < 0.031;
    return switch (t) {
      case Tiles.EMPTY -> 0xFFFFFF;
      case Tiles.FLOOR -> gridLine ? GRID_LINE : half(c);
      case Tiles.WALL -> c;
      case Tiles.GOAL -> gridLine ? GRID_LINE : c;
      case Tiles.BALL -> circle(u, v, 0.5, 0.5, 0.31) ? c : floor(gridLine);
      case Tiles.SQUARE -> rect(u, v, 0.25, 0.75, 0.25, 0.75) ? c : floor(gridLine);
      case Tiles.PYRAMID -> triangle(u, v, 0.15, 0.8, 0.85, 0.8, 0.5, 0.2) ? c : floor(gridLine);
      case Tiles.HEX -> hexagon(u, v, 0.35) ? c : floor(gridLine);
      case Tiles.STAR -> triangle(u, v, 0.15, 0.75, 0.85, 0.75, 0.5, 0.15)
          || triangle(u, v, 0.15, 0.3, 0.85, 0.3, 0.5, 0.9) ? c : floor(gridLine);
      case Tiles.KEY -> {
        if (circle(u, v, 0.56, 0.28, 0.064)) {
          yield 0;
        }
        yield rect(u, v, 0.50, 0.63, 0.31, 0.88) || rect(u, v, 0.38, 0.50, 0.59, 0.66)
            || rect(u, v, 0.38, 0.50, 0.81, 0.88) || circle(u, v, 0.56, 0.28, 0.19) ? c : floor(gridLine);
      }
      case Tiles.DOOR_LOCKED -> rect(u, v, 0.52, 0.75, 0.50, 0.56) || !rect(u, v, 0.06, 0.94, 0.06, 0.94) ? c
          : scale(c, 0.45);
      case Tiles.DOOR_CLOSED -> circle(u, v, 0.75, 0.5, 0.08) ? c
          : rect(u, v, 0.12, 0.88, 0.12, 0.88) ? 0 : rect(u, v, 0.08, 0.92, 0.08, 0.92) ? c
          : rect(u, v, 0.04, 0.96, 0.04, 0.96) ? 0 : c;
      case Tiles.DOOR_OPEN -> rect(u, v, 0.92, 0.96, 0.04, 0.96) ? 0 : rect(u, v, 0.88, 1.0, 0.0, 1.0) ? c : floor(gridLine);
      default -> 0xFF00FF; // no such tile: magenta, plainly wrong
    };
  }

  /** The agent's triangle, pointing right when facing right (XLand-MiniGrid's), turned by 90 degrees a direction. */
  static boolean inAgent(double u, double v, int direction) {
    // turn the point back to the facing-right frame: a quarter turn clockwise per step from RIGHT
    int turns = (direction - World.RIGHT + 4) & 3;
    for (int i = 0; i < turns; i++) {
      double du = u - 0.5;
      double dv = v - 0.5;
      u = 0.5 + dv; // inverse of the clockwise screen rotation (x, y) -> (0.5 - dy, 0.5 + dx)
      v = 0.5 - du;
    }
    return triangle(u, v, 0.12, 0.19, 0.87, 0.5, 0.12, 0.81);
  }

  private static int floor(boolean gridLine) {
    return gridLine ? GRID_LINE : 0;
  }

  private static int half(int rgb) {
    return scale(rgb, 0.5);
  }

  private static int scale(int rgb, double f) {
    int r = (int) (((rgb >> 16) & 255) * f);
    int g = (int) (((rgb >> 8) & 255) * f);
    int b = (int) ((rgb & 255) * f);
    return r << 16 | g << 8 | b;
  }

  /** MiniGrid's highlight: 20% of the way to white. */
  private static int lighten(int rgb) {
    int r = (rgb >> 16) & 255;
    int g = (rgb >> 8) & 255;
    int b = rgb & 255;
    r += (int) ((255 - r) * 0.2);
    g += (int) ((255 - g) * 0.2);
    b += (int) ((255 - b) * 0.2);
    return r << 16 | g << 8 | b;
  }

  private static boolean rect(double u, double v, double u0, double u1, double v0, double v1) {
    return u >= u0 && u <= u1 && v >= v0 && v <= v1;
  }

  private static boolean circle(double u, double v, double cu, double cv, double r) {
    return (u - cu) * (u - cu) + (v - cv) * (v - cv) <= r * r;
  }

  /** A regular hexagon of radius r around the centre, two corners left and right. */
  private static boolean hexagon(double u, double v, double r) {
    double x = Math.abs(u - 0.5);
    double y = Math.abs(v - 0.5);
    double s = Math.sqrt(3) / 2;
    return y <= s * r && s * x + 0.5 * y <= s * r;
  }

  private static boolean triangle(double u, double v, double au, double av, double bu, double bv, double cu, double cv) {
    double d1 = (u - bu) * (av - bv) - (au - bu) * (v - bv);
    double d2 = (u - cu) * (bv - cv) - (bu - cu) * (v - cv);
    double d3 = (u - au) * (cv - av) - (cu - au) * (v - av);
    boolean neg = d1 < 0 || d2 < 0 || d3 < 0;
    boolean pos = d1 > 0 || d2 > 0 || d3 > 0;
    return !(neg && pos);
  }
}
