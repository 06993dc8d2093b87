# The `simd` host kernels as a Node-API addon (plain C, no node-addon-api).
# Built by scripts/build-native.mjs at `npm install`; loaded by runtime/host/native.ts.
#
# No -mavx2 here on purpose: the AVX2 kernels carry __attribute__((target("avx2"))), so
# the rest of the file (argument checks, the scalar fallback) stays baseline x86-64 and
# the addon loads on a CPU without AVX2. -mfma is never given, and -ffp-contract=off keeps
# the compiler from fusing a multiply and an add anywhere: the kernels are defined with a
# rounded product, and a fused one would change results in the last bit.
{
  "targets": [
    {
      "target_name": "weave_simd",
      "sources": ["weave_simd.c"],
      "defines": ["NAPI_VERSION=8"],
      "cflags": ["-std=c11", "-O3", "-ffp-contract=off", "-fno-fast-math", "-fno-strict-aliasing"],
      "conditions": [
        ["OS=='mac'", {
          "xcode_settings": {
            "OTHER_CFLAGS": ["-std=c11", "-O3", "-ffp-contract=off", "-fno-fast-math"]
          }
        }]
      ]
    },
    {
      # AES-256-GCM where the bytes lie (weave_seal.c), against the OpenSSL node exports:
      # no library to link, the symbols resolve in the node process.
      "target_name": "weave_seal",
      "sources": ["weave_seal.c"],
      "defines": ["NAPI_VERSION=8"],
      "cflags": ["-std=c11", "-O2", "-fno-strict-aliasing"]
    }
  ]
}
