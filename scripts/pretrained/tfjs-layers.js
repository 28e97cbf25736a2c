// Unwraps a TensorFlow.js layers model that an npm package ships as browserify bundles
// (model.min.js, group1-shardNofM.min.js) into the standard format (model.json + .bin shards),
// and runs it under @tensorflow/tfjs on a fixed input to write the golden outputs that
// TfjsLayersModelTest compares the Java graph with.
//
//   node tfjs-layers.js SRC_DIR OUT_DIR GOLDEN_JSON LAYER[,LAYER...]
'use strict';
const fs = require('fs');
const path = require('path');
const tf = require('@tensorflow/tfjs');
const { fixedInput, summary } = require('./golden');

function load(file) {
  // The bundles are UMD: under CommonJS they export their value.
  return require(path.resolve(file));
}

async function main() {
  const [src, out, golden, layerList] = process.argv.slice(2);
  const model = load(path.join(src, 'model.min.js'));
  const shards = fs.readdirSync(src).filter((f) => /^group\d+-shard\d+of\d+\.min\.js$/.test(f)).sort();
  fs.mkdirSync(out, { recursive: true });
  const buffers = [];
  for (const s of shards) {
    const b = Buffer.from(load(path.join(src, s)), 'base64');
    fs.writeFileSync(path.join(out, s.replace('.min.js', '.bin')), b);
    buffers.push(b);
  }
  for (const group of model.weightsManifest) {
    group.paths = group.paths.map((p) => p + '.bin');
  }
  fs.writeFileSync(path.join(out, 'model.json'), JSON.stringify(model));

  const all = Buffer.concat(buffers);
  const weightSpecs = [].concat(...model.weightsManifest.map((g) => g.weights));
  const m = await tf.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: model.modelTopology,
      weightSpecs,
      weightData: all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength),
    }),
  );
  const shape = m.inputs[0].shape;
  const input = fixedInput(shape[1], shape[2]);
  const names = layerList.split(',');
  const probe = tf.model({ inputs: m.inputs, outputs: names.map((n) => m.getLayer(n).output) });
  let outs = probe.predict(input);
  if (!Array.isArray(outs)) outs = [outs];
  const result = { package_input: 'pixel (y,x,c) = ((7x + 13y + 29c) mod 256) / 255', layers: {} };
  names.forEach((n, i) => {
    result.layers[n] = summary(outs[i]);
  });
  fs.writeFileSync(golden, JSON.stringify(result, null, 1) + '\n');
  console.log('wrote', out, 'and', golden, 'with tfjs', tf.version.tfjs, 'backend', tf.getBackend());
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
