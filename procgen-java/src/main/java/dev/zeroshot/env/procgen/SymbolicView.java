package dev.zeroshot.env.procgen;

import dev.zeroshot.env.space.Box;
import dev.zeroshot.env.space.DType;
import dev.zeroshot.env.space.Space;
import java.nio.ByteBuffer;

/**
 * The symbolic observation of a grid game: a {@code side x side} window of cells centred on
 * the agent's cell, as a uint8 {@code [2, side, side]} array, row 0 at the top (the highest y,
 * as in the pixel frame) and column 0 at the left. Channel 0 holds the grid cell's code (cells
 * outside the world read as the game's out-of-bounds object), channel 1 the code of the entity
 * whose centre lies in the cell (0 = none, 1 = the agent, always at the window's centre; where
 * entities share a cell the later one in the game's list wins, and the agent wins over all).
 * The codes are each game's (see docs/procgen.md).
 */
final class SymbolicView {

  static final int CHANNELS = 2;
  static final int AGENT_CODE = 1;

  private final ProcgenGame game;
  private final int side;
  private final Space space;

  SymbolicView(ProcgenGame game, int side) {
    if (side < 1 || side % 2 == 0) {
      throw new IllegalArgumentException("symbolic window side must be odd and >= 1, got " + side);
    }
    this.game = game;
    this.side = side;
    this.space = Box.uniform(0, game.symbolicMaxCode(), new int[] {CHANNELS, side, side}, DType.UINT8);
  }

  Space space() {
    return space;
  }

  void write(ByteBuffer obs, int offset) {
    int half = side / 2;
    int ax = (int) Math.floor(game.agent.x);
    int ay = (int) Math.floor(game.agent.y);
    int plane = side * side;
    for (int row = 0; row < side; row++) {
      int y = ay + half - row;
      for (int col = 0; col < side; col++) {
        int x = ax - half + col;
        int at = offset + row * side + col;
        obs.put(at, (byte) game.symbolicCell(game.getObj(x, y)));
        obs.put(at + plane, (byte) 0);
      }
    }
    for (int i = 0; i < game.entities.size(); i++) {
      Entity e = game.entities.get(i);
      if (e == game.agent) {
        continue;
      }
      int code = game.symbolicEntity(e);
      int col = (int) Math.floor(e.x) - ax + half;
      int row = ay + half - (int) Math.floor(e.y);
      if (code != 0 && col >= 0 && col < side && row >= 0 && row < side) {
        obs.put(offset + plane + row * side + col, (byte) code);
      }
    }
    obs.put(offset + plane + half * side + half, (byte) AGENT_CODE);
  }
}
