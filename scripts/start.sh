#!/usr/bin/env bash
# Set up (idempotently) and run the main job: generate the sample procurement specs
# from the three example answers files into out/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
mkdir -p out
for example in examples/*.yaml; do
  name=$(basename "$example" .yaml)
  .venv/bin/sbd-tool levels "$example"
  .venv/bin/sbd-tool generate "$example" -o "out/$name.docx"
done
echo "生成した調達仕様書: $(ls out/*.docx | tr '\n' ' ')"
