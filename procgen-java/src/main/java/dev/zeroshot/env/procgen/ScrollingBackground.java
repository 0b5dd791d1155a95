package dev.zeroshot.env.procgen;

/**
 * A background that scrolls left under a fixed view (starpilot's): the level's texture is
 * tiled once into a strip raster one frame plus one tile wide, and each frame copies its
 * window at the scroll offset, rounded to whole pixels, instead of redrawing the texture.
 */
final class ScrollingBackground {

  private final Canvas strip = new Canvas();
  /** The texture the strip holds (textures are shared, immutable arrays), or null before the first draw. */
  private byte[] built;
  private int builtTile;

  /**
   * Draws into {@code frame} a square texture (R, G and B planes of size x size bytes) tiled
   * {@code tile} pixels wide and one frame tall, scrolled {@code offset} pixels to the left.
   */
  void draw(Canvas frame, byte[] texture, int size, int tile, float offset) {
    if (texture != built || tile != builtTile) {
      strip.resize(frame.width() + tile, frame.height());
      strip.drawTiledStrip(texture, size, 0, 0, tile, 2 + frame.width() / tile);
      built = texture;
      builtTile = tile;
    }
    frame.copyWindow(strip, Math.round(offset) % tile, 0);
  }
}
