#!/bin/sh
# The longest stretch between yield points (maxYieldGapMs) of each example's documented run,
# at the default interval (issue 14: at most 50 ms). Usage, from the repo root after npm run build:
#   sh scripts/example-gaps.sh
set -e
D=build/gaps; mkdir -p $D
[ -f build/points.bin ] || node scripts/make-points.mjs build/points.bin 1000000 >/dev/null
for f in particles matmul wordfreq sha256 tokenizer ising data gpu simd; do
  node dist/cli/weave.js build examples/$f.ts -o $D/$f.wasm >/dev/null 2>&1
done
run() { name=$1; shift; node dist/cli/weave.js run "$@" --json 2>/dev/null | node -e "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>{const j=JSON.parse(s);console.log('$name', 'maxYieldGapMs='+j.maxYieldGapMs, 'yields='+j.yields, 'execMs='+Math.round(j.execMs), 'result='+j.result)})"; }
run particles $D/particles.wasm 2000 6000
run matmul $D/matmul.wasm 128 20
run wordfreq $D/wordfreq.wasm 600000 7
run sha256-repeated $D/sha256.wasm 97 1000 --entry digestOfRepeated
run sha256-chain $D/sha256.wasm 200 --entry hashChain
run sha256-stream $D/sha256.wasm 40 7 0 --entry streamDigest
run tokenizer-count $D/tokenizer.wasm 200 7 --entry countTokens
run tokenizer-kind $D/tokenizer.wasm 2 200 7 --entry countKind
run tokenizer-sum $D/tokenizer.wasm 200 7 --entry sumNumbers
run ising-run $D/ising.wasm 32 40 --entry run
run ising-runAt $D/ising.wasm 32 40 3.5 --entry runAt
run ising-step $D/ising.wasm --entry step
run data $D/data.wasm 65536 --data points=build/points.bin
run gpu $D/gpu.wasm 64 128 32
run simd $D/simd.wasm 256 40 --migrate-every 2
