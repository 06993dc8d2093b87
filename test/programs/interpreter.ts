// A `switch` inside a loop: a tiny stack-machine bytecode interpreter.
// The bytecode is a counted loop doing acc = acc + (i * i) % 7 + (i ^ acc)
// for i < n, so the dispatch loop runs 21 instructions per iteration.

const OP_PUSH: i32 = 0;   // push immediate
const OP_LOAD: i32 = 1;   // push local[imm]
const OP_STORE: i32 = 2;  // local[imm] = pop
const OP_ADD: i32 = 3;
const OP_MUL: i32 = 4;
const OP_REM: i32 = 5;
const OP_XOR: i32 = 6;
const OP_LT: i32 = 7;
const OP_JZ: i32 = 8;     // pop; jump to imm when zero
const OP_JMP: i32 = 9;
const OP_HALT: i32 = 10;

// locals: 0 = i, 1 = acc, 2 = n
function program(): StaticArray<i32> {
  return [
    OP_PUSH, 0,  OP_STORE, 0,                // 0:  i = 0
    OP_PUSH, 0,  OP_STORE, 1,                // 4:  acc = 0
    OP_LOAD, 0,  OP_LOAD, 2,  OP_LT, 0,      // 8:  loop: i < n ?
    OP_JZ, 50,                               // 14: no -> exit
    OP_LOAD, 0,  OP_LOAD, 0,  OP_MUL, 0,     // 16: i * i
    OP_PUSH, 7,  OP_REM, 0,                  // 22: ... % 7
    OP_LOAD, 0,  OP_LOAD, 1,  OP_XOR, 0,     // 26: i ^ acc
    OP_ADD, 0,                               // 32: (i*i)%7 + (i^acc)
    OP_LOAD, 1,  OP_ADD, 0,  OP_STORE, 1,    // 34: acc += ...
    OP_LOAD, 0,  OP_PUSH, 1,  OP_ADD, 0,     // 40: i + 1
    OP_STORE, 0, OP_JMP, 8,                  // 46: i = i + 1; goto loop
    OP_LOAD, 1,  OP_HALT, 0,                 // 50: exit: return acc
  ];
}

function run(code: StaticArray<i32>, n: i32): i32 {
  const stack = new StaticArray<i32>(16);
  const locals = new StaticArray<i32>(4);
  locals[2] = n;
  let sp = 0;
  let pc = 0;
  while (true) {
    const op = code[pc];
    const imm = code[pc + 1];
    pc += 2;
    switch (op) {
      case OP_PUSH: stack[sp++] = imm; break;
      case OP_LOAD: stack[sp++] = locals[imm]; break;
      case OP_STORE: locals[imm] = stack[--sp]; break;
      case OP_ADD: { const b = stack[--sp]; stack[sp - 1] += b; break; }
      case OP_MUL: { const b = stack[--sp]; stack[sp - 1] *= b; break; }
      case OP_REM: { const b = stack[--sp]; stack[sp - 1] %= b; break; }
      case OP_XOR: { const b = stack[--sp]; stack[sp - 1] ^= b; break; }
      case OP_LT: { const b = stack[--sp]; stack[sp - 1] = i32(stack[sp - 1] < b); break; }
      case OP_JZ: if (stack[--sp] == 0) pc = imm; break;
      case OP_JMP: pc = imm; break;
      case OP_HALT: return stack[sp - 1];
      default: unreachable();
    }
  }
}

/** Interprets the bytecode loop for `n` iterations and returns the accumulator. */
export function interpret(n: i32): i32 {
  return run(program(), n);
}
