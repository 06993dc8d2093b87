// A tokenizer for a small C-like language, over source text generated inside the module
// from a seed (statements with identifiers, decimal/hex/float numbers, string literals,
// operators, brackets and comments). Each export tokenizes the same text and reports one
// thing about it: counts by kind, the numbers' sum, a hash of the identifiers, the
// distinct identifiers, the deepest bracket nesting, or where the first bad character is.
// Keywords live in a Set and operator precedences in a Map, both filled by top-level code.
//
//   npx weave build examples/tokenizer.ts -o build/tokenizer.wasm
//   npx weave run build/tokenizer.wasm 200 7 --entry countTokens      # 200 statements, seed 7
//   npx weave run build/tokenizer.wasm 2 200 7 --entry countKind      # how many NUMBER tokens (kind 2)
//   npx weave run build/tokenizer.wasm 200 7 --entry sumNumbers

// Token kinds; countKind takes one of these.
const IDENT = 0;
const KEYWORD = 1;
const NUMBER = 2;
const STRING = 3;
const OPERATOR = 4;
const BRACKET = 5;
const PUNCT = 6;
const COMMENT = 7;
const ERROR = 8;
const KINDS = 9;

const KEYWORDS = new Set<string>();
const PRECEDENCE = new Map<string, i32>();
const NAMES: string[] = ["x", "y", "count", "total", "buf", "i", "node", "next", "value", "acc", "_tmp", "n2"];
const OPS: string[] = ["+", "-", "*", "/", "==", "!=", "<=", ">=", "<", ">", "&&", "||", "=", "+=", "<<"];

const WORDS: string[] = ["let", "if", "else", "while", "return", "fn", "for"];
for (let i = 0; i < WORDS.length; i++) KEYWORDS.add(WORDS[i]);
{
  const levels: string[][] = [["||"], ["&&"], ["==", "!="], ["<", ">", "<=", ">="], ["<<"], ["+", "-"], ["*", "/"]];
  for (let l = 0; l < levels.length; l++) {
    for (let j = 0; j < levels[l].length; j++) PRECEDENCE.set(levels[l][j], l + 1);
  }
  PRECEDENCE.set("=", 0);
  PRECEDENCE.set("+=", 0);
}

class Token {
  constructor(public kind: i32, public text: string, public at: i32) {}
}

/** xorshift32: the generator the text is made from. */
class Rng {
  constructor(private s: u32) { if (this.s == 0) this.s = 0x9e3779b9; }
  next(): u32 {
    let x = this.s;
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    this.s = x;
    return x;
  }
  below(n: i32): i32 { return <i32>(this.next() % <u32>n); }
}

function expression(rng: Rng, depth: i32): string {
  const r = rng.below(depth > 2 ? 4 : 7);
  if (r == 0) return NAMES[rng.below(NAMES.length)];
  if (r == 1) return rng.below(1000).toString();
  if (r == 2) return "0x" + rng.below(65536).toString(16);
  if (r == 3) return rng.below(100).toString() + "." + rng.below(100).toString();
  if (r == 4) return "(" + expression(rng, depth + 1) + ")";
  if (r == 5) return NAMES[rng.below(NAMES.length)] + "(" + expression(rng, depth + 1) + ", \"s" + rng.below(50).toString() + "\")";
  return expression(rng, depth + 1) + " " + OPS[rng.below(OPS.length - 3)] + " " + expression(rng, depth + 1);
}

/** `statements` lines of source; about one line in 97 has a character the language lacks. */
function source(statements: i32, seed: i32): string {
  const rng = new Rng(<u32>seed);
  const lines = new Array<string>();
  for (let s = 0; s < statements; s++) {
    const r = rng.below(10);
    let line: string;
    if (r < 4) line = "let " + NAMES[rng.below(NAMES.length)] + " = " + expression(rng, 0) + ";";
    else if (r < 6) line = "if (" + expression(rng, 1) + ") { " + NAMES[rng.below(NAMES.length)] + " += 1; }";
    else if (r < 7) line = "while (" + expression(rng, 1) + ") { return " + expression(rng, 1) + "; }";
    else if (r < 8) line = "// note " + rng.below(1000).toString();
    else line = NAMES[rng.below(NAMES.length)] + "[" + expression(rng, 2) + "] = " + expression(rng, 1) + ";";
    if (rng.below(97) == 0) line += " @";
    lines.push(line);
  }
  return lines.join("\n");
}

function isDigit(c: i32): bool { return c >= 0x30 && c <= 0x39; }
function isIdentStart(c: i32): bool { return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c == 0x5f; }
function isHex(c: i32): bool { return isDigit(c) || (c >= 0x61 && c <= 0x66); }

class Lexer {
  pos: i32 = 0;
  constructor(public text: string) {}

  /** The next token, or null at the end of the text. */
  next(): Token | null {
    const t = this.text;
    const n = t.length;
    while (this.pos < n) {
      const c = t.charCodeAt(this.pos);
      if (c != 0x20 && c != 0x0a && c != 0x09) break;
      this.pos++;
    }
    if (this.pos >= n) return null;
    const start = this.pos;
    const c = t.charCodeAt(start);
    if (c == 0x2f && start + 1 < n && t.charCodeAt(start + 1) == 0x2f) {
      while (this.pos < n && t.charCodeAt(this.pos) != 0x0a) this.pos++;
      return new Token(COMMENT, t.substring(start, this.pos), start);
    }
    if (isIdentStart(c)) {
      while (this.pos < n && (isIdentStart(t.charCodeAt(this.pos)) || isDigit(t.charCodeAt(this.pos)))) this.pos++;
      const word = t.substring(start, this.pos);
      return new Token(KEYWORDS.has(word) ? KEYWORD : IDENT, word, start);
    }
    if (isDigit(c)) {
      if (c == 0x30 && start + 1 < n && t.charCodeAt(start + 1) == 0x78) {
        this.pos += 2;
        while (this.pos < n && isHex(t.charCodeAt(this.pos))) this.pos++;
      } else {
        while (this.pos < n && isDigit(t.charCodeAt(this.pos))) this.pos++;
        if (this.pos < n && t.charCodeAt(this.pos) == 0x2e) {
          this.pos++;
          while (this.pos < n && isDigit(t.charCodeAt(this.pos))) this.pos++;
        }
      }
      return new Token(NUMBER, t.substring(start, this.pos), start);
    }
    if (c == 0x22) {
      this.pos++;
      while (this.pos < n && t.charCodeAt(this.pos) != 0x22) this.pos++;
      this.pos++;
      return new Token(STRING, t.substring(start, this.pos), start);
    }
    if (c == 0x28 || c == 0x29 || c == 0x5b || c == 0x5d || c == 0x7b || c == 0x7d) {
      this.pos++;
      return new Token(BRACKET, t.charAt(start), start);
    }
    if (c == 0x3b || c == 0x2c) {
      this.pos++;
      return new Token(PUNCT, t.charAt(start), start);
    }
    // Longest match first: two-character operators before their one-character prefixes.
    if (start + 1 < n && PRECEDENCE.has(t.substring(start, start + 2))) {
      this.pos += 2;
      return new Token(OPERATOR, t.substring(start, start + 2), start);
    }
    if (PRECEDENCE.has(t.charAt(start))) {
      this.pos++;
      return new Token(OPERATOR, t.charAt(start), start);
    }
    this.pos++;
    return new Token(ERROR, t.charAt(start), start);
  }
}

function tokens(statements: i32, seed: i32): Token[] {
  const lexer = new Lexer(source(statements, seed));
  const out = new Array<Token>();
  for (let tok = lexer.next(); tok != null; tok = lexer.next()) out.push(tok);
  return out;
}

/** Parses a number token as the language defines it: decimal, 0x hex, or decimal with a fraction. */
function numberValue(text: string): f64 {
  if (text.startsWith("0x")) return parseInt(text.substring(2), 16);
  return parseFloat(text);
}

/** How many tokens `statements` generated statements from `seed` have. */
export function countTokens(statements: i32, seed: i32): i32 {
  return tokens(statements, seed).length;
}

/** How many tokens of `kind` (0 identifier … 8 error) the text has. */
export function countKind(kind: i32, statements: i32, seed: i32): i32 {
  if (kind < 0 || kind >= KINDS) throw new Error("no token kind " + kind.toString());
  const list = tokens(statements, seed);
  let count = 0;
  for (let i = 0; i < list.length; i++) if (list[i].kind == kind) count++;
  return count;
}

/** The sum of every number literal's value. */
export function sumNumbers(statements: i32, seed: i32): f64 {
  const list = tokens(statements, seed);
  let sum: f64 = 0;
  for (let i = 0; i < list.length; i++) if (list[i].kind == NUMBER) sum += numberValue(list[i].text);
  return sum;
}

/** FNV-1a over the identifiers in order, each followed by a separator. */
export function identHash(statements: i32, seed: i32): u32 {
  const list = tokens(statements, seed);
  let h: u32 = 2166136261;
  for (let i = 0; i < list.length; i++) {
    if (list[i].kind != IDENT) continue;
    const s = list[i].text;
    for (let j = 0; j < s.length; j++) h = (h ^ <u32>s.charCodeAt(j)) * 16777619;
    h = (h ^ 0x2c) * 16777619;
  }
  return h;
}

/** How many distinct identifiers (not keywords) the text uses. */
export function distinctIdents(statements: i32, seed: i32): i32 {
  const list = tokens(statements, seed);
  const seen = new Set<string>();
  for (let i = 0; i < list.length; i++) if (list[i].kind == IDENT) seen.add(list[i].text);
  return seen.size;
}

/** The deepest nesting of (), [] and {}; traps if the brackets do not match. */
export function maxDepth(statements: i32, seed: i32): i32 {
  const list = tokens(statements, seed);
  const open = new Array<string>();
  let deepest = 0;
  for (let i = 0; i < list.length; i++) {
    const tok = list[i];
    if (tok.kind != BRACKET) continue;
    const c = tok.text;
    if (c == "(" || c == "[" || c == "{") {
      open.push(c);
      if (open.length > deepest) deepest = open.length;
    } else {
      const o = open.pop();
      if ((c == ")" && o != "(") || (c == "]" && o != "[") || (c == "}" && o != "{")) throw new Error("unbalanced " + c);
    }
  }
  return deepest;
}

/** The offset of the first character no token can start with, or -1. */
export function firstError(statements: i32, seed: i32): i32 {
  const list = tokens(statements, seed);
  for (let i = 0; i < list.length; i++) if (list[i].kind == ERROR) return list[i].at;
  return -1;
}

/** Operators weighted by precedence plus one, summed: a fingerprint of the operator stream. */
export function operatorWeight(statements: i32, seed: i32): i64 {
  const list = tokens(statements, seed);
  let w: i64 = 0;
  for (let i = 0; i < list.length; i++) {
    if (list[i].kind == OPERATOR) w = w * 31 + <i64>(PRECEDENCE.get(list[i].text) + 1);
  }
  return w;
}
