// Early return from inside three nested loops: searches for a Pythagorean
// triple a < b < c <= n with a + b + c == perimeter. The return unwinds all
// loops at once; the function returns a*1000000 + b*1000 + c, or -1.

/** Returns the encoded first triple with the given perimeter and c <= n, or -1. */
export function findTriple(n: i32, perimeter: i32): i32 {
  for (let a = 1; a <= n; a++) {
    for (let b = a + 1; b <= n; b++) {
      for (let c = b + 1; c <= n; c++) {
        if (a * a + b * b == c * c && a + b + c == perimeter) {
          return a * 1000000 + b * 1000 + c;
        }
      }
    }
  }
  return -1;
}
