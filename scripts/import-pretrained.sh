#!/usr/bin/env bash
# Fetches the pretrained TensorFlow.js models farmid starts from, checks each package's pinned
# version and integrity hash, converts them into models/pretrained/<name>/ (standard TensorFlow.js
# format: model.json + .bin shards, read by models' TfjsLayersModel) with a card naming the
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

# name | package@version | integrity (npm view PKG@VER dist.integrity) | licence | folder in the package
PACKAGES=(
  "mobilenet_v2|nsfwjs@4.4.0|sha512-krC1fgeTLXtZwgdpKJ0jm7hqv0gTSRQQRL+FhOaxaJ9Wj92t42BO3csO2odwgTAgZgf2RvkwPtp0R8Aa7dc+MA==|MIT|dist/models/mobilenet_v2"
)

(cd "$ROOT/scripts/pretrained" && npm ci --no-audit --no-fund >/dev/null)

for entry in "${PACKAGES[@]}"; do
  IFS='|' read -r name pkg integrity licence folder <<<"$entry"
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
  mkdir -p "$ROOT/models/src/test/resources/org/farmid/models/pretrained"
  rm -rf "$out"
  node "$ROOT/scripts/pretrained/tfjs-layers.js" "$WORK/$name/package/$folder" "$out" \
    "$ROOT/models/src/test/resources/org/farmid/models/pretrained/$name-golden.json" \
    block_1_project_BN,block_9_add,dense_3
  cat >"$out/card.json" <<CARD
{
  "format": "farmid-pretrained/1",
  "name": "$name",
  "kind": "tfjs-layers-model",
  "source_package": "${pkg%@*}",
  "source_version": "${pkg##*@}",
  "source_integrity": "$integrity",
  "source_folder": "$folder",
  "licence": "$licence",
  "architecture": "MobileNetV2, width 1.0, input 224x224x3 RGB in [-1, 1] for the ImageNet layers",
  "training_data": "Keras' ImageNet MobileNetV2 weights (ILSVRC-2012), with the top layers fine-tuned by nsfwjs on its own five-class image set; the early and middle blocks were frozen (trainable: false) and keep the ImageNet features",
  "used_for": "the embedder's backbone (train-embedder --backbone), cut after block 10 as the published method cut it"
}
CARD
  echo "   wrote $out"
done
