/**
 * The spec's values of GPUBufferUsage and GPUMapMode, so that Dawn's globals need not be
 * installed on globalThis.
 *
 *   device.createBuffer({ size, usage: BUFFER_USAGE.STORAGE | BUFFER_USAGE.COPY_DST });
 *   await staging.mapAsync(MAP_MODE_READ);
 */
export const BUFFER_USAGE = {
  MAP_READ: 0x0001,
  COPY_SRC: 0x0004,
  COPY_DST: 0x0008,
  UNIFORM: 0x0040,
  STORAGE: 0x0080,
  QUERY_RESOLVE: 0x0200,
} as const;

export const MAP_MODE_READ = 0x0001;
