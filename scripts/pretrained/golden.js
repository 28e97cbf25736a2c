// What the TensorFlow.js golden files hold, shared by tfjs-layers.js and tfjs-graph.js: the fixed
// input both the scripts and the Java tests build, and a summary of each output small enough to
// commit.
'use strict';
const tf = require('@tensorflow/tfjs');

/** The fixed input: pixel (y, x, c) of an h x w RGB picture, ((7x + 13y + 29c) mod 256) / 255 * scale. */
function fixedInput(h, w, scale = 1) {
  const data = new Float32Array(h * w * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      for (let c = 0; c < 3; c++) {
        data[(y * w + x) * 3 + c] = (((x * 7 + y * 13 + c * 29) % 256) / 255) * scale;
      }
    }
  }
  return tf.tensor4d(data, [1, h, w, 3]);
}

/**
 * A 4-D output as its channel means and every channel at three places (a corner, the middle, the
 * far corner); any other output whole.
 */
function summary(t) {
  const s = t.shape;
  const v = t.dataSync();
  const entry = { shape: s };
  if (s.length === 4) {
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
  return entry;
}

module.exports = { fixedInput, summary };
