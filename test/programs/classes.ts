// Class instances with fields, methods and virtual dispatch: a list of
// shapes (circles, rectangles, squares) whose overridden methods are called
// in a loop. Shapes are scaled in place each round.

abstract class Shape {
  constructor(public name: string) {}
  abstract area(): f64;
  abstract scale(k: f64): void;
  describe(): i32 {
    return this.name.length;
  }
}

class Circle extends Shape {
  constructor(public r: f64) { super("circle"); }
  area(): f64 { return Math.PI * this.r * this.r; }
  scale(k: f64): void { this.r *= k; }
}

class Rect extends Shape {
  constructor(public w: f64, public h: f64) { super("rect"); }
  area(): f64 { return this.w * this.h; }
  scale(k: f64): void { this.w *= k; this.h /= k; }
}

class Square extends Rect {
  constructor(side: f64) { super(side, side); this.name = "square"; }
  scale(k: f64): void { this.w *= k; this.h *= k; }
}

function makeShape(i: i32): Shape {
  const size = 1.0 + <f64>(i % 11) * 0.125;
  switch (i % 3) {
    case 0: return new Circle(size);
    case 1: return new Rect(size, size + 0.5);
    default: return new Square(size);
  }
}

/** Makes `count` shapes, scales them over `rounds` rounds; returns the summed areas plus name lengths. */
export function shapes(count: i32, rounds: i32): f64 {
  const list = new Array<Shape>(0);
  for (let i = 0; i < count; i++) list.push(makeShape(i));
  let total: f64 = 0;
  for (let r = 0; r < rounds; r++) {
    // Alternate growing and shrinking so the values stay bounded.
    const k = r % 2 == 0 ? 1.001 : 0.999;
    for (let i = 0; i < list.length; i++) {
      const s = list[i];
      s.scale(k);
      total += s.area() + <f64>s.describe();
    }
  }
  return total;
}
