// A chain of particles joined by springs, falling under gravity onto a floor.
//
// Each step applies gravity, spring forces between neighbours and a little
// drag, then integrates with semi-implicit Euler. The result is the total
// (kinetic + gravitational + spring) energy after the last step, so every
// step's arithmetic feeds the answer.
//
//   npx weave build examples/particles.ts -o build/particles.wasm
//   npx weave run build/particles.wasm simulate 64 200      # small
//   npx weave run build/particles.wasm simulate 2000 6000   # large (benchmark)

const GRAVITY: f64 = -9.81;
const STIFFNESS: f64 = 400.0;
const REST_LENGTH: f64 = 0.5;
const DRAG: f64 = 0.02;
const DT: f64 = 0.001;
const FLOOR: f64 = 0.0;
const BOUNCE: f64 = 0.6;

class Vec2 {
  constructor(public x: f64, public y: f64) {}

  addScaled(v: Vec2, k: f64): void {
    this.x += v.x * k;
    this.y += v.y * k;
  }

  lengthSq(): f64 {
    return this.x * this.x + this.y * this.y;
  }
}

class Particle {
  pos: Vec2;
  vel: Vec2;
  force: Vec2;

  constructor(x: f64, y: f64, public mass: f64) {
    this.pos = new Vec2(x, y);
    this.vel = new Vec2(0, 0);
    this.force = new Vec2(0, 0);
  }

  kineticEnergy(): f64 {
    return 0.5 * this.mass * this.vel.lengthSq();
  }
}

// Spreads particles along a slanted line with slightly varying masses so
// that different sizes produce different trajectories.
function makeChain(n: i32): Array<Particle> {
  const chain = new Array<Particle>();
  for (let i = 0; i < n; i++) {
    const x = <f64>i * REST_LENGTH;
    const y = 10.0 + <f64>(i % 7) * 0.25;
    const mass = 1.0 + <f64>(i % 5) * 0.1;
    chain.push(new Particle(x, y, mass));
  }
  return chain;
}

function applySpring(a: Particle, b: Particle): void {
  const dx = b.pos.x - a.pos.x;
  const dy = b.pos.y - a.pos.y;
  const dist = Math.sqrt(dx * dx + dy * dy);
  if (dist == 0) return;
  const f = STIFFNESS * (dist - REST_LENGTH) / dist;
  a.force.x += f * dx;
  a.force.y += f * dy;
  b.force.x -= f * dx;
  b.force.y -= f * dy;
}

function step(chain: Array<Particle>): void {
  const n = chain.length;
  for (let i = 0; i < n; i++) {
    const p = chain[i];
    p.force.x = -DRAG * p.vel.x;
    p.force.y = p.mass * GRAVITY - DRAG * p.vel.y;
  }
  for (let i = 0; i + 1 < n; i++) {
    applySpring(chain[i], chain[i + 1]);
  }
  for (let i = 0; i < n; i++) {
    const p = chain[i];
    p.vel.addScaled(p.force, DT / p.mass);
    p.pos.addScaled(p.vel, DT);
    if (p.pos.y < FLOOR) {
      p.pos.y = FLOOR;
      p.vel.y = -p.vel.y * BOUNCE;
    }
  }
}

function totalEnergy(chain: Array<Particle>): f64 {
  let energy: f64 = 0;
  const n = chain.length;
  for (let i = 0; i < n; i++) {
    const p = chain[i];
    energy += p.kineticEnergy() - p.mass * GRAVITY * p.pos.y;
  }
  for (let i = 0; i + 1 < n; i++) {
    const dx = chain[i + 1].pos.x - chain[i].pos.x;
    const dy = chain[i + 1].pos.y - chain[i].pos.y;
    const stretch = Math.sqrt(dx * dx + dy * dy) - REST_LENGTH;
    energy += 0.5 * STIFFNESS * stretch * stretch;
  }
  return energy;
}

/** Simulates `n` particles for `steps` time steps and returns the final total energy. */
export function simulate(n: i32, steps: i32): f64 {
  const chain = makeChain(n);
  for (let s = 0; s < steps; s++) {
    step(chain);
  }
  return totalEnergy(chain);
}
