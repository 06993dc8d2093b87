#!/bin/bash
# The GPU checks on a lent device machine, from what scripts/device-pack.mjs put in
# .device/ (carried there: run(command: 'bash scripts/device-run.sh', carry: ['.device'])).
# Unpacks the Vulkan/GL packages and node, then runs what it is asked (default `gpu`):
#   gpu    the GPU tests, `bench gpu` and examples/gpu.ts on the embedded mesh (a GPU hub)
#   live   `bench policy-live` (four hub processes; on 16 cores each gets its own core):
#          runs 1 and 2 (a side took 105 s here, arrival-bound: 7 minutes, so a call of
#          its own); run 3 in a second call, LIVE_ARGS='--runs 1 --first-run 2'. LIVE_ARGS
#          replaces the arguments (LIVE_ARGS='--runs 1 --control': the A/A check)
#   mesh   `bench mesh` (two hub processes)
# each with its own time limit, and leaves the logs and any build/bench-*.json in $OUT. Runs here too (no GPU: the kernel
# tests are skipped and the bench says why, and nothing is unpacked into /), which is how
# the pack is checked.
#   bash scripts/device-run.sh                 # OUT defaults to /tmp/weave-device-out
#   SIZES="1024 2048" bash scripts/device-run.sh
#   bash scripts/device-run.sh live            # runs 1-2, about 7 minutes: a call of its own there
#   LIVE_ARGS=--quick bash scripts/device-run.sh live    # one run of fewer jobs (a check of the pack)
set -u
OUT=${OUT:-/tmp/weave-device-out}
PACK=$(pwd)/.device
W=${WEAVE_DEVICE_DIR:-/tmp/weave-device}
mkdir -p "$OUT" "$W"
say() { echo "device-run: $*" | tee -a "$OUT/summary.txt"; }

[ -f "$PACK/weave.tar.xz" ] || { say "no .device/weave.tar.xz: run node scripts/device-pack.mjs here first"; exit 1; }
command -v xz > /dev/null || { say "this machine has no xz to unpack .device with"; exit 1; }
# Into / only on a GPU machine (its driver is there, its loader is not): never over this
# machine's own libraries when the script is tried here.
on_gpu_machine() { command -v nvidia-smi > /dev/null || [ -d /usr/local/nvidia ] || [ -n "${WEAVE_DEVICE_UNPACK:-}" ]; }
if [ -d "$PACK/gl" ] && [ "$(id -u)" = 0 ] && on_gpu_machine && ! ldconfig -p | grep -q libvulkan.so.1; then
  for f in "$PACK"/gl/*.deb; do dpkg -x "$f" /; done
  ldconfig
fi
[ -f /usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json ] && export VK_DRIVER_FILES=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
xz -dc "$PACK/node.xz" > "$W/node" && chmod +x "$W/node"
tar -C "$W" -xJf "$PACK/weave.tar.xz"
cp "$PACK/gpu.wasm" "$W/gpu.wasm"
mkdir -p "$W/bin"
[ -f "$PACK/nats-server.xz" ] && xz -dc "$PACK/nats-server.xz" > "$W/bin/nats-server" && chmod +x "$W/bin/nats-server"
export PATH="$W/bin:$PATH"
cd "$W" || exit 1
say "node $(./node --version), $(nproc) cores; $(command -v nvidia-smi > /dev/null && nvidia-smi --query-gpu=name,driver_version --format=csv,noheader || echo 'no nvidia-smi')"

gpu() {
  timeout 240 ./node node_modules/uvu/bin.js dist/test 'gpu\.test\.js$' > "$OUT/gpu-tests.log" 2>&1
  say "gpu tests: exit $? — $(sed 's/\x1b\[[0-9;]*m//g' "$OUT/gpu-tests.log" | grep -E 'Total|Passed|Skipped|gpu tests skipped' | tr -s ' \n' ' ')"

  # shellcheck disable=SC2086
  timeout 300 ./node dist/bench/gpu.js ${SIZES:+--size ${SIZES%% *}} > "$OUT/bench-gpu.log" 2>&1
  say "bench gpu: exit $? — $(tail -1 "$OUT/bench-gpu.log")"
  cp build/bench-gpu.json "$OUT/" 2> /dev/null

  for n in 256 1024; do
    start=$(date +%s%N)
    r=$(timeout 120 ./node dist/cli/weave.js run gpu.wasm "$n" "$n" "$n" 2>> "$OUT/example.log")
    say "examples/gpu.ts mlp $n $n $n on the embedded mesh: exit $?, result ${r:-none}, $(( ($(date +%s%N) - start) / 1000000 )) ms"
  done
}

live() {
  command -v nats-server > /dev/null || { say "live: no nats-server in the pack"; return; }
  # shellcheck disable=SC2086
  timeout 590 ./node dist/bench/policy-live.js ${LIVE_ARGS:---runs 2} > "$OUT/policy-live.log" 2>&1
  say "bench policy-live: exit $? — $(grep -E 'run [0-9]+:' "$OUT/policy-live.log" | tr -s ' \n' ' ') $(tail -1 "$OUT/policy-live.log")"
  cp build/bench-policy-live.json "$OUT/" 2> /dev/null
}

mesh() {
  command -v nats-server > /dev/null || { say "mesh: no nats-server in the pack"; return; }
  timeout 300 ./node dist/bench/mesh.js > "$OUT/mesh.log" 2>&1
  say "bench mesh: exit $? — $(tail -1 "$OUT/mesh.log")"
}

for what in "${@:-gpu}"; do
  case "$what" in
    gpu|live|mesh) "$what" ;;
    *) say "unknown step '$what' (gpu, live or mesh)" ;;
  esac
done
