/**
 * A small brain.js network (sigmoid, one output in (0, 1)) for scoring inside decisions:
 * trained one sample at a time with brain.js 1.x's own step (`trainPattern`), evaluated
 * by a forward pass over its weights without brain.js's per-call input checks (which
 * cost more than the network itself), with initial weights drawn from a seed so that runs
 * repeat. Also what federated averaging needs: weights out, weights in.
 *   const net = new SmallNet(14, [10], { seed: 1 });
 *   net.train(x, 0.6);  net.forward(x)   // ≈ 0.5 untrained
 */
import { brainJs } from './brain.js';
import { uniform } from '../util/index.js';

/** The brain.js 1.x internals used here. */
interface Net {
  weights: Float32Array[][];
  biases: Float32Array[];
  changes: Float32Array[][];
  sizes: number[];
  trainPattern(value: { input: ArrayLike<number>; output: ArrayLike<number> }): void;
  train(data: Array<{ input: number[]; output: number[] }>, opts: Record<string, unknown>): unknown;
  toJSON(): unknown;
  fromJSON(json: unknown): unknown;
}

export interface SmallNetOptions {
  learningRate?: number;
  momentum?: number;
  seed?: number;
}

/** A saved network whose input count is not this network's. */
export class NetShapeError extends Error {
  constructor(readonly got: number, readonly want: number) {
    super(`this network state has ${got} inputs, this weave has ${want}`);
  }
}

export class SmallNet {
  private readonly net: Net;
  private packed: Float64Array | undefined;
  private readonly layerOut: Float64Array[] = [];
  private readonly target = new Float32Array(1);

  constructor(readonly inputs: number, hidden: number[], opts: SmallNetOptions = {}) {
    this.net = new (brainJs().NeuralNetwork)({ hiddenLayers: hidden }) as unknown as Net;
    // One pass over one sample sizes and initializes the layers; brain.js keeps them.
    this.net.train([{ input: new Array(inputs).fill(0), output: [0.5] }], { iterations: 1, learningRate: opts.learningRate ?? 0.1, momentum: opts.momentum ?? 0.1 });
    // brain.js drew those weights from Math.random: draw them again from the seed, in its
    // range, and forget that pass's momentum.
    const init = uniform((opts.seed ?? 1) + 0x9e37);
    for (let layer = 1; layer < this.net.sizes.length; layer++) {
      const biases = this.net.biases[layer];
      for (let node = 0; node < biases.length; node++) {
        biases[node] = init() * 0.4 - 0.2;
        const row = this.net.weights[layer][node];
        for (let k = 0; k < row.length; k++) row[k] = init() * 0.4 - 0.2;
        this.net.changes[layer][node].fill(0);
      }
    }
  }

  /** The output for `x` (length `inputs`). */
  forward(x: ArrayLike<number>): number {
    if (!this.packed) this.pack();
    const p = this.packed!;
    const sizes = this.net.sizes;
    let input = this.layerOut[0];
    for (let k = 0; k < input.length; k++) input[k] = x[k];
    let at = 0;
    for (let layer = 1; layer < sizes.length; layer++) {
      const out = this.layerOut[layer];
      const width = input.length;
      for (let node = 0; node < sizes[layer]; node++) {
        let sum = p[at++];
        for (let k = 0; k < width; k++) sum += p[at++] * input[k];
        out[node] = 1 / (1 + Math.exp(-sum));
      }
      input = out;
    }
    return input[0];
  }

  /** One SGD step towards output `y` for `x`. */
  train(x: ArrayLike<number>, y: number): void {
    this.packed = undefined;
    this.target[0] = y;
    this.net.trainPattern({ input: x, output: this.target });
  }

  /** The weights and biases, flat, bias first per node (what forward reads). */
  weights(): Float64Array {
    if (!this.packed) this.pack();
    return Float64Array.from(this.packed!);
  }

  /** Sets weights as weights() gives them (for averaging replicas). Throws on a wrong length. */
  setWeights(p: ArrayLike<number>): void {
    const { weights, biases, sizes } = this.net;
    if (!this.packed) this.pack();
    if (p.length !== this.packed!.length) throw new Error(`a network of ${this.packed!.length} weights cannot take ${p.length}`);
    let at = 0;
    for (let layer = 1; layer < sizes.length; layer++) {
      for (let node = 0; node < sizes[layer]; node++) {
        biases[layer][node] = p[at++];
        const row = weights[layer][node];
        for (let k = 0; k < sizes[layer - 1]; k++) row[k] = p[at++];
      }
    }
    this.packed = undefined;
  }

  toJSON(): unknown {
    return this.net.toJSON();
  }

  /** Loads brain.js JSON; throws NetShapeError when its input size is not `inputs`. */
  load(json: unknown): void {
    this.net.fromJSON(json);
    this.packed = undefined;
    this.layerOut.length = 0;
    if (this.net.sizes[0] !== this.inputs) throw new NetShapeError(this.net.sizes[0], this.inputs);
  }

  private pack(): void {
    const { weights, biases, sizes } = this.net;
    let n = 0;
    for (let layer = 1; layer < sizes.length; layer++) n += sizes[layer] * (sizes[layer - 1] + 1);
    const p = new Float64Array(n);
    let at = 0;
    this.layerOut[0] ??= new Float64Array(sizes[0]);
    for (let layer = 1; layer < sizes.length; layer++) {
      this.layerOut[layer] ??= new Float64Array(sizes[layer]);
      for (let node = 0; node < sizes[layer]; node++) {
        p[at++] = biases[layer][node];
        const row = weights[layer][node];
        for (let k = 0; k < sizes[layer - 1]; k++) p[at++] = row[k];
      }
    }
    this.packed = p;
  }
}
