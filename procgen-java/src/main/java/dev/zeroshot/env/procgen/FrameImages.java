package dev.zeroshot.env.procgen;

import dev.zeroshot.env.EnvRegistry;
import dev.zeroshot.env.GymEnv;
import dev.zeroshot.env.StepBuffers;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;

/**
 * Observation frames as images, headless (javax.imageio only): one frame scaled up, an
 * animated GIF of frames, and a mosaic of games for the docs.
 */
public final class FrameImages {

  private FrameImages() {}

  /** The uint8 [3][64][64] frame at {@code obs[offset]}, scaled up {@code scale} times (nearest neighbour). */
  public static BufferedImage toImage(ByteBuffer obs, int offset, int scale) {
    int n = Canvas.RES;
    BufferedImage img = new BufferedImage(n * scale, n * scale, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < n; y++) {
      for (int x = 0; x < n; x++) {
        int i = offset + y * n + x;
        int rgb = ((obs.get(i) & 255) << 16) | ((obs.get(i + n * n) & 255) << 8) | (obs.get(i + 2 * n * n) & 255);
        for (int dy = 0; dy < scale; dy++) {
          for (int dx = 0; dx < scale; dx++) {
            img.setRGB(x * scale + dx, y * scale + dy, rgb);
          }
        }
      }
    }
    return img;
  }

  /** Writes an endlessly looping animated GIF, {@code delayMs} per frame (GIF counts in 10 ms). */
  public static void writeGif(List<BufferedImage> frames, int delayMs, Path out) throws IOException {
    if (frames.isEmpty()) {
      throw new IllegalArgumentException("no frames to write");
    }
    ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
    ImageTypeSpecifier type = ImageTypeSpecifier.createFromRenderedImage(frames.get(0));
    IIOMetadata meta = writer.getDefaultImageMetadata(type, writer.getDefaultWriteParam());
    String format = meta.getNativeMetadataFormatName();
    IIOMetadataNode root = (IIOMetadataNode) meta.getAsTree(format);
    IIOMetadataNode gce = child(root, "GraphicControlExtension");
    gce.setAttribute("disposalMethod", "none");
    gce.setAttribute("userInputFlag", "FALSE");
    gce.setAttribute("transparentColorFlag", "FALSE");
    gce.setAttribute("delayTime", Integer.toString(Math.max(1, delayMs / 10)));
    gce.setAttribute("transparentColorIndex", "0");
    IIOMetadataNode apps = child(root, "ApplicationExtensions");
    IIOMetadataNode loop = new IIOMetadataNode("ApplicationExtension");
    loop.setAttribute("applicationID", "NETSCAPE");
    loop.setAttribute("authenticationCode", "2.0");
    loop.setUserObject(new byte[] {1, 0, 0}); // loop forever
    apps.appendChild(loop);
    meta.setFromTree(format, root);
    Path tmp = out.resolveSibling(out.getFileName() + ".tmp");
    try (ImageOutputStream ios = ImageIO.createImageOutputStream(tmp.toFile())) {
      writer.setOutput(ios);
      writer.prepareWriteSequence(null);
      for (BufferedImage f : frames) {
        writer.writeToSequence(new IIOImage(f, null, meta), null);
      }
      writer.endWriteSequence();
    } finally {
      writer.dispose();
    }
    Files.move(tmp, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  private static IIOMetadataNode child(IIOMetadataNode root, String name) {
    for (int i = 0; i < root.getLength(); i++) {
      if (root.item(i).getNodeName().equalsIgnoreCase(name)) {
        return (IIOMetadataNode) root.item(i);
      }
    }
    IIOMetadataNode node = new IIOMetadataNode(name);
    root.appendChild(node);
    return node;
  }

  /**
   * One row per env id, {@code columns} levels per row (seeds 0, 1, ...), each shown after
   * {@code warmup} random steps, scaled {@code scale} times.
   */
  public static BufferedImage mosaic(List<String> ids, int columns, int warmup, int scale) {
    int tile = Canvas.RES * scale;
    int gap = scale;
    BufferedImage img = new BufferedImage(columns * (tile + gap) - gap, ids.size() * (tile + gap) - gap,
        BufferedImage.TYPE_INT_RGB);
    for (int row = 0; row < ids.size(); row++) {
      GymEnv env = EnvRegistry.builtin().make(ids.get(row));
      StepBuffers b = StepBuffers.allocate(env);
      SplittableRandom policy = new SplittableRandom(row);
      for (int col = 0; col < columns; col++) {
        env.reset(col, b, 0);
        for (int t = 0; t < warmup; t++) {
          b.setDiscreteAction(0, policy.nextInt(15));
          env.step(b, 0);
          if (b.episodeEnded(0)) {
            env.reset(b, 0);
          }
        }
        BufferedImage frame = toImage(b.observations(), 0, scale);
        img.createGraphics().drawImage(frame, col * (tile + gap), row * (tile + gap), null);
      }
    }
    return img;
  }
}
