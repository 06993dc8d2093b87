/**
 * What every part of a routed job shares: the job, its options and identity, and the
 * state kept across attempts (progress, recovery, the record).
 *   const ctx: RoutedJob = { transport, bundle, entry, … };
 */
import type { LoadedBundle } from '../../exec/index.js';
import type { Identity } from '../../net/index.js';
import type { JobNeeds } from '../../policy/index.js';
import type { JobOptions } from '../job.js';
import type { LivePlacement } from '../placement.js';
import type { Reweaver } from '../reweave.js';
import type { RoutedTransport } from '../transport.js';
import type { JobLedger } from './ledger.js';
import type { JobProgress } from './progress.js';
import type { RecoveryState } from './recovery.js';
import type { JobStop } from './stop.js';

export interface RoutedJob {
  transport: RoutedTransport;
  bundle: LoadedBundle;
  entry: string;
  opts: JobOptions;
  /** The job id; attempt N runs as exec job key `<job>.<N>`. */
  job: string;
  me: Identity;
  needs: JobNeeds;
  chooser: LivePlacement | undefined;
  progress: JobProgress;
  recovery: RecoveryState;
  ledger: JobLedger | undefined;
  /** The bundle's bytes went with an attempt already (the mesh serves them to hubs from then on). */
  bundleSent: boolean;
  /** The job's deadline and cancel: aborts its waits and its running attempt. */
  stop: JobStop;
  /** Every exec job key used so far. */
  keys: string[];
  /** Re-weaving's decisions, kept across attempts: a move given back unstarted starts a new attempt, and its cooldown must not start over. */
  reweaver?: Reweaver;
}
