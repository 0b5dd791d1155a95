// Reads a Zeroshot dataset with Apache Arrow's JavaScript implementation, independently of the
// Java writer, and checks what Minari's arrow storage relies on: the metadata keys, the space
// strings, one record batch per episode file, T + 1 rows, the column types, the observation
// width, the actions (Discrete: int64 in [start, start + n); Box: float32 lists of the Box's
// width inside its bounds), and that the counts add up to the metadata's totals.
// Usage: node check_dataset.mjs <dataset data folder>   (needs `npm install apache-arrow`)
import { readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { RecordBatchReader, Type } from "apache-arrow";

const dir = process.argv[2];
const fail = (msg) => { console.error("dataset check failed: " + msg); process.exit(1); };
const meta = JSON.parse(readFileSync(join(dir, "metadata.json"), "utf8"));
for (const k of ["dataset_id", "total_episodes", "total_steps", "data_format", "minari_version",
                 "observation_space", "action_space"]) {
  if (!(k in meta)) fail(`metadata.json lacks ${k}`);
}
if (meta.data_format !== "arrow") fail(`data_format is ${meta.data_format}`);
const obsSpace = JSON.parse(meta.observation_space);
const actSpace = JSON.parse(meta.action_space);
const boxActions = actSpace.type === "Box";
if (obsSpace.type !== "Box" || !(actSpace.type === "Discrete" || boxActions && actSpace.dtype === "float32")) {
  fail("spaces are not Box / Discrete or float32 Box");
}
const actWidth = boxActions ? actSpace.shape.reduce((a, b) => a * b, 1) : 1;
const actLow = boxActions ? actSpace.low.flat(Infinity) : null;
const actHigh = boxActions ? actSpace.high.flat(Infinity) : null;
if (boxActions && (actLow.length !== actWidth || actHigh.length !== actWidth)) fail("action Box bounds are not full arrays");
const width = obsSpace.shape.reduce((a, b) => a * b, 1);
if (!Array.isArray(obsSpace.low) || obsSpace.low.length !== obsSpace.shape[0]) fail("Box low is not a full nested array");
let steps = 0;
for (let i = 0; i < meta.total_episodes; i++) {
  const file = join(dir, String(i), "part-0.arrow");
  if (!existsSync(file)) fail(`${file} missing`);
  const em = JSON.parse(readFileSync(join(dir, String(i), "metadata.json"), "utf8"));
  const batches = [...RecordBatchReader.from(readFileSync(file))];
  if (batches.length !== 1) fail(`${file}: ${batches.length} record batches`);
  const b = batches[0];
  const names = b.schema.fields.map((f) => f.name).join(",");
  if (names !== "observations,actions,rewards,terminations,truncations") fail(`${file}: columns ${names}`);
  const [o, a, r, te, tr] = b.schema.fields.map((f) => f.type);
  if (o.typeId !== Type.FixedSizeList || o.listSize !== width) fail(`${file}: observations ${o}`);
  const elem = o.children[0].type;
  if (obsSpace.dtype === "uint8" && !(elem.typeId === Type.Int && elem.bitWidth === 8 && !elem.isSigned)) fail(`${file}: element ${elem}`);
  const actionsOk = boxActions
    ? a.typeId === Type.FixedSizeList && a.listSize === actWidth && a.children[0].type.typeId === Type.Float
      && a.children[0].type.precision === 1 /* SINGLE */
    : a.typeId === Type.Int && a.bitWidth === 64;
  if (!actionsOk || r.typeId !== Type.Float || te.typeId !== Type.Bool || tr.typeId !== Type.Bool) {
    fail(`${file}: column types ${a}, ${r}, ${te}, ${tr}`);
  }
  if (b.numRows !== em.total_steps + 1) fail(`${file}: ${b.numRows} rows for ${em.total_steps} steps`);
  let ret = 0;
  const rewards = b.getChildAt(2);
  for (let t = 0; t < em.total_steps; t++) ret += rewards.get(t);
  if (Math.abs(ret - em.return) > 1e-9) fail(`${file}: rewards sum to ${ret}, metadata says ${em.return}`);
  const acts = b.getChildAt(1);
  for (let t = 0; t < em.total_steps; t++) {
    if (boxActions) {
      const v = acts.get(t).toArray();
      for (let k = 0; k < actWidth; k++) {
        if (!(v[k] >= actLow[k] && v[k] <= actHigh[k])) fail(`${file}: action ${t} value ${v[k]} outside the Box`);
      }
      continue;
    }
    const v = Number(acts.get(t));
    if (v < actSpace.start || v >= actSpace.start + actSpace.n) fail(`${file}: action ${v} out of range`);
  }
  steps += em.total_steps;
}
if (steps !== meta.total_steps) fail(`episodes hold ${steps} steps, metadata says ${meta.total_steps}`);
console.log(`dataset check: ${meta.dataset_id}: ${meta.total_episodes} episodes, ${steps} steps, observations ` +
  `${obsSpace.dtype}[${obsSpace.shape}], actions ${boxActions ? `float32[${actSpace.shape}]` : `Discrete(${actSpace.n})`} ` +
  `read by Apache Arrow JS: OK`);
