/**
 * Sandbox limits: what one fragment run may take from the hub that runs it. A hub resolves
 * them once (explicit options, then WEAVE_* environment variables, then the defaults) and
 * every limit hit is an ExecError (or CheckpointError 'too-large') with its own code.
 *   const limits = resolveSandboxLimits({ maxMemoryPages: 1024, deadlineMs: 60_000 });
 *   const bundle = await loadBundle(bytes, { maxMemoryPages: limits.maxMemoryPages });
 */
import { ExecError } from './errors.js';

/** 1 GiB of linear memory (16384 Wasm pages): above every example, a quarter of wasm32. */
export const DEFAULT_MAX_MEMORY_PAGES = 16384;
/**
 * 15 minutes of wall-clock per exec request. Routed jobs without --migrate-every run
 * whole in one request, so this is a bound on a runaway, not on a typical fragment.
 */
export const DEFAULT_DEADLINE_MS = 15 * 60_000;
/** What the watchdog allows past the deadline before it replaces a stuck worker. */
export const DEFAULT_HARD_DEADLINE_GRACE_MS = 5_000;
/** Beyond the memory itself, room for the meta map and the job's output (io, 64 MiB max). */
const CHECKPOINT_SLACK_BYTES = 80 << 20;

export interface SandboxLimits {
  /**
   * Most Wasm pages (64 KiB) a fragment's memory may have. Written into each module's
   * memory maximum at load, so memory.grow beyond it returns -1 (AssemblyScript then
   * traps, reported as 'memory-limit'); a module whose initial memory is larger, or a
   * checkpoint whose memory is, is refused. @default DEFAULT_MAX_MEMORY_PAGES (1 GiB)
   */
  maxMemoryPages?: number;
  /**
   * Wall-clock milliseconds one exec request may run. Checked at every yield point
   * ('deadline-exceeded'). @default DEFAULT_DEADLINE_MS (15 min)
   */
  deadlineMs?: number;
  /**
   * Wall-clock milliseconds after which a hub thread's watchdog terminates a worker that
   * is still inside one run (code with no yield point cannot be stopped in-thread) and
   * starts a fresh one in the slot. @default deadlineMs + 5 s
   */
  hardDeadlineMs?: number;
  /**
   * Largest checkpoint a hub decodes or captures, and largest memory a full checkpoint
   * may describe ('checkpoint-too-large'). @default the memory limit + 80 MiB
   */
  maxCheckpointBytes?: number;
  /**
   * Bytes of Asyncify stack a pause may unwind into: a deeper call stack at a yield point
   * is 'stack-limit'. @default the whole buffer the bundle's layout reserves (about 104 KiB)
   */
  maxStackBytes?: number;
}

export type ResolvedSandboxLimits = Required<Omit<SandboxLimits, 'maxStackBytes'>> & { maxStackBytes?: number };

/** Environment variables read when an option is not given (hub start sets them from its flags). */
export const SANDBOX_ENV = {
  maxMemoryPages: 'WEAVE_MAX_MEMORY_MIB',
  deadlineMs: 'WEAVE_DEADLINE_MS',
  maxCheckpointBytes: 'WEAVE_MAX_CHECKPOINT_MIB',
  maxStackBytes: 'WEAVE_MAX_STACK_KIB',
} as const;

/**
 * Defaults and checks in one place.
 *
 * # Errors
 * ExecError 'exec' naming the option (or environment variable) that is not a positive
 * integer, or a memory limit above wasm32's 65536 pages.
 */
export function resolveSandboxLimits(opts: SandboxLimits = {}, env: NodeJS.ProcessEnv = process.env): ResolvedSandboxLimits {
  const fromEnv = (key: keyof typeof SANDBOX_ENV, scale: number): number | undefined => {
    const raw = env[SANDBOX_ENV[key]];
    if (raw === undefined || raw === '') return undefined;
    const n = Number(raw);
    if (!Number.isSafeInteger(n) || n <= 0) throw new ExecError(`${SANDBOX_ENV[key]} must be a positive integer, got '${raw}'`);
    return n * scale;
  };
  const positive = (name: string, v: number | undefined): number | undefined => {
    if (v !== undefined && (!Number.isSafeInteger(v) || v <= 0)) throw new ExecError(`sandbox limit ${name} must be a positive integer, got ${v}`);
    return v;
  };
  const mib = fromEnv('maxMemoryPages', 1 << 20);
  const maxMemoryPages = positive('maxMemoryPages', opts.maxMemoryPages) ?? (mib !== undefined ? Math.ceil(mib / 65536) : DEFAULT_MAX_MEMORY_PAGES);
  if (maxMemoryPages > 65536) throw new ExecError(`sandbox limit maxMemoryPages is ${maxMemoryPages}, above wasm32's 65536 pages (4 GiB)`);
  const deadlineMs = positive('deadlineMs', opts.deadlineMs) ?? fromEnv('deadlineMs', 1) ?? DEFAULT_DEADLINE_MS;
  const hardDeadlineMs = positive('hardDeadlineMs', opts.hardDeadlineMs) ?? deadlineMs + DEFAULT_HARD_DEADLINE_GRACE_MS;
  const maxCheckpointBytes = positive('maxCheckpointBytes', opts.maxCheckpointBytes) ?? fromEnv('maxCheckpointBytes', 1 << 20)
    ?? maxMemoryPages * 65536 + CHECKPOINT_SLACK_BYTES;
  const maxStackBytes = positive('maxStackBytes', opts.maxStackBytes) ?? fromEnv('maxStackBytes', 1024);
  return { maxMemoryPages, deadlineMs, hardDeadlineMs, maxCheckpointBytes, ...(maxStackBytes ? { maxStackBytes } : {}) };
}
