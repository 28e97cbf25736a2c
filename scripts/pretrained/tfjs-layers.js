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

function load(file) {
  // The bundles are UMD: under CommonJS they export their value.
  return require(path.resolve(file));
}

/** The fixed input: pixel (y, x, c) of a 224x224 RGB picture, values in [0, 1]. */
function fixedInput(h, w) {
  const data = new Float32Array(h * w * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      for (let c = 0; c < 3; c++) {
        data[(y * w + x) * 3 + c] = ((x * 7 + y * 13 + c * 29) % 256) / 255;
      }
    }
  }
  return tf.tensor4d(data, [1, h, w, 3]);
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
    const t = outs[i];
    const s = t.shape;
    const v = t.dataSync();
    const entry = { shape: s };
    if (s.length === 4) {
      // Channel means, and every channel at three places (a corner, the middle, the far corner).
      const [, h, w, c] = s;
      const means = new Array(c).fill(0);
      for (let p = 0; p < h * w; p++) for (let k = 0; k < c; k++) means[k] += v[p * c + k] / (h * w);
      entry.channel_means = means;
      entry.at = {};
      for (const [y, x] of [[0, 0], [h >> 1, w >> 1], [h - 1, w - 1]]) {
        entry.at[y + ',' + x] = Array.from(v.slice((y * w + x) * c, (y * w + x + 1) * c));
      }
    } else {
      entry.values = Array.from(v);
    }
    result.layers[n] = entry;
  });
  fs.writeFileSync(golden, JSON.stringify(result, null, 1) + '\n');
  console.log('wrote', out, 'and', golden, 'with tfjs', tf.version.tfjs, 'backend', tf.getBackend());
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
