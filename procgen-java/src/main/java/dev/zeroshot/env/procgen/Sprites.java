package dev.zeroshot.env.procgen;

/**
 * The games' sprites, drawn in code (Procgen's PNG art is partly under attribution licences).
 * Each is a palette-indexed bitmap; the palette (and so the colour theme) is chosen at draw time.
 */
final class Sprites {

  private Sprites() {}

  /** A brick wall tile: 1 brick, 2 mortar, 3 highlight. */
  static final Sprite BRICK = new Sprite(
      "22222222",
      "11131113",
      "11111111",
      "22222222",
      "13111311",
      "11111111",
      "22222222",
      "11131113");

  /** A plain stone/ground tile with a lit top edge: 1 base, 2 shadow, 3 light. */
  static final Sprite STONE = new Sprite(
      "33333333",
      "31111112",
      "31111112",
      "31111112",
      "31111112",
      "31111112",
      "31111112",
      "22222222");

  /** Dirt: 1 base, 2 dark grains, 3 light grains. */
  static final Sprite DIRT = new Sprite(
      "11121111",
      "13111121",
      "11111311",
      "12111111",
      "11113112",
      "31111111",
      "11211131",
      "11111211");

  /** A mouse seen from above, facing right: 1 fur, 2 eye/nose, 3 ears/tail. */
  static final Sprite MOUSE = new Sprite(
      "........",
      "....33..",
      "3..11113",
      ".3111121",
      ".3111112",
      "3..11111",
      "....33..",
      "........");

  /** A wedge of cheese: 1 cheese, 2 holes/rind. */
  static final Sprite CHEESE = new Sprite(
      "........",
      "......11",
      "....1111",
      "..112111",
      "11111121",
      "12111111",
      "22222222",
      "........");

  /** A person seen from above, facing right: 1 suit, 2 visor, 3 pack. */
  static final Sprite ASTRONAUT = new Sprite(
      "..3333..",
      ".311113.",
      "31111122",
      "31111122",
      "31111122",
      "31111122",
      ".311113.",
      "..3333..");

  /** A key: 1 metal, 2 shadow. */
  static final Sprite KEY = new Sprite(
      "........",
      ".111....",
      "1...1111",
      "1...1121",
      ".111..1.",
      "........",
      "........",
      "........");

  /** A padlock filling its cell: 1 body, 2 shackle/keyhole, 3 frame. */
  static final Sprite LOCK = new Sprite(
      "33333333",
      "33222233",
      "32333323",
      "31111113",
      "31122113",
      "31112113",
      "31111113",
      "33333333");

  /** A cut gem: 1 face, 2 shade, 3 sparkle. */
  static final Sprite GEM = new Sprite(
      "........",
      "..1111..",
      ".131112.",
      "11111122",
      ".111122.",
      "..1122..",
      "...12...",
      "........");

  /** A small robot facing right: 1 body, 2 wheels, 3 eye. */
  static final Sprite ROBOT = new Sprite(
      "....1...",
      "..11111.",
      "..11113.",
      "..11111.",
      ".1111111",
      ".1111111",
      ".2.2.2..",
      "22222222");

  /** A round boulder: 1 rock, 2 shade, 3 light. */
  static final Sprite BOULDER = new Sprite(
      "..1111..",
      ".131111.",
      "13311111",
      "11111112",
      "11111112",
      "11111122",
      ".111122.",
      "..2222..");

  /** A door/window exit: 1 frame, 2 glass, 3 glint. */
  static final Sprite WINDOW = new Sprite(
      "11111111",
      "12231221",
      "12312221",
      "11111111",
      "12221221",
      "12221221",
      "12221221",
      "11111111");

  /** A fish facing right: 1 body, 2 fin/tail, 3 eye. */
  static final Sprite FISH = new Sprite(
      "..........",
      "2...1111..",
      "22.111111.",
      "2211111311",
      "2211111111",
      "22.111111.",
      "2...1111..",
      "..........");

  /** A disc (orbs, coins, saw bodies): 1 fill, 2 rim. */
  static final Sprite DISC = new Sprite(
      "..2222..",
      ".211112.",
      "21111112",
      "21111112",
      "21111112",
      "21111112",
      ".211112.",
      "..2222..");

  /** A ghost-like chaser enemy: 1 body, 2 eyes. */
  static final Sprite GHOST = new Sprite(
      "..1111..",
      ".111111.",
      "11211211",
      "11111111",
      "11111111",
      "11111111",
      "11111111",
      "1.11.11.");

  /** An egg: 1 shell, 2 spots. */
  static final Sprite EGG = new Sprite(
      "...11...",
      "..1111..",
      ".112111.",
      ".111121.",
      "11211111",
      "11111211",
      ".111111.",
      "..1111..");

  /** A wooden crate: 1 wood, 2 frame. */
  static final Sprite CRATE = new Sprite(
      "22222222",
      "22111122",
      "21211212",
      "21122112",
      "21122112",
      "21211212",
      "22111122",
      "22222222");

  /** A spinning saw: 1 blade, 2 hub. */
  static final Sprite SAW = new Sprite(
      "1..11..1",
      ".111111.",
      ".112211.",
      "11222211",
      "11222211",
      ".112211.",
      ".111111.",
      "1..11..1");

  /** Lava: 1 glow, 2 crust, 3 bright. */
  static final Sprite LAVA = new Sprite(
      "31133113",
      "11111111",
      "11211121",
      "12221122",
      "11211111",
      "11111211",
      "21111221",
      "11211111");

  /** A walking enemy (slime): 1 body, 2 eye. */
  static final Sprite SLIME = new Sprite(
      "........",
      "........",
      "..1111..",
      ".111111.",
      "11211211",
      "11111111",
      "11111111",
      "1.1.1.1.");

  /** A side-view character facing right: 1 body, 2 face, 3 limbs. */
  static final Sprite RUNNER = new Sprite(
      "..1111..",
      "..11222.",
      "..1122..",
      ".111111.",
      "3.1111.3",
      "..1111..",
      "..3..3..",
      ".33..33.");

  /** A five-pointed star: 1 fill, 2 edge. */
  static final Sprite STAR = new Sprite(
      "...11...",
      "...11...",
      "11111111",
      ".211112.",
      "..1111..",
      ".111111.",
      ".11..11.",
      "1......1");
}
