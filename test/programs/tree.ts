// Recursion over the GC heap: builds a complete binary tree of the given
// depth with pseudo-random values, then sums it recursively. Repeats the
// build `rounds` times so older trees become garbage while new ones are built.

class TreeNode {
  constructor(
    public value: i32,
    public left: TreeNode | null,
    public right: TreeNode | null,
  ) {}
}

function build(depth: i32, seed: u32): TreeNode {
  const value = <i32>((seed * 2654435761) >>> 16);
  if (depth == 0) return new TreeNode(value, null, null);
  const left = build(depth - 1, seed * 2 + 1);
  const right = build(depth - 1, seed * 2 + 2);
  return new TreeNode(value, left, right);
}

function sum(node: TreeNode | null): i64 {
  if (node == null) return 0;
  return <i64>node.value + sum(node.left) + sum(node.right);
}

/** Builds `rounds` trees of 2^(depth+1)-1 nodes and returns the total of all node values. */
export function treeSum(depth: i32, rounds: i32): i64 {
  let total: i64 = 0;
  for (let r = 0; r < rounds; r++) {
    total += sum(build(depth, <u32>r + 1));
  }
  return total;
}
