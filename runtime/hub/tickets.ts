/**
 * Engine tickets, as a hub checks them (runtime/net ticketStatement): a hub acts on what
 * steers a job (its route and keys, where replies and progress go, the hub it came from,
 * its job record) only when the client that owns the job key signed it, names this hub,
 * and sends replies to its own inboxes. The ticket is signed, or on a hub with a sealing
 * key MACed for this hub (runtime/net/ticket-mac.ts). The engine's own exec is taken once
 * per job key and only when fresh; a move needs a newer (signed) ticket whose route names
 * the target.
 *   const refused = checkTicket('a', identity, marks, req, reply); // WireError | undefined
 *   const moved = checkMoveTicket('a', marks, move);            // MovedTicket | WireError
 */
import { checkClientBinding, checkTicketMac, ticketStatement, verify, type ExecTicket, type Identity } from '../net/index.js';
import type { ExecRequest, MoveRequest, WireError } from '../protocol/index.js';
import type { JobMarks } from './job-marks.js';
import { hex } from '../util/index.js';

/** How far an engine exec's `issued` may be from this hub's clock (skew, queueing). */
export const TICKET_SKEW_MS = 5 * 60_000;

/** The fields a hub acts on only under a ticket. */
const STEERING = ['route', 'replyTo', 'progress', 'from', 'record'] as const;

/** A move allowed: the ticket the hand-over goes under, its signature, and the target's sealing key. */
export interface MovedTicket { ticket: ExecTicket; sig: Uint8Array; key: Uint8Array | undefined }

const under = (subject: string, prefixes: readonly string[]) => prefixes.some((p) => subject.startsWith(`${p}.`));
const no = (code: string, message: string): WireError => ({ code, message });
const busy = (hub: string) => no('busy', `hub ${hub} holds the replay marks of too many jobs; try another hub`);

/**
 * The job key's current ticket here is this very one (same client, statement and signature):
 * it was verified when it was taken, and a signature check (about 0.16 ms here) need not run
 * again. A job moving round-robin brings each hub the ticket it took on its last visit.
 */
function takenBefore(seen: ReturnType<JobMarks['get']>, client: string, statement: Uint8Array, sig: Uint8Array): boolean {
  return !!seen?.ticket && !!seen.sig && seen.clientSign === client && Buffer.compare(seen.sig, sig) === 0 && Buffer.compare(ticketStatement(seen.ticket), statement) === 0;
}

/**
 * The ticket with byte fields of its own: what was verified must not change with the
 * request it came in. (decodeMessage already gives a message's small byte fields a copy of
 * the map, apart from the buffer a slot may take; this keeps the kept ticket independent
 * of whatever else holds the request.)
 */
function ownBytes(t: ExecTicket): ExecTicket {
  return { ...t, keys: Object.fromEntries(Object.entries(t.keys).map(([id, k]) => [id, new Uint8Array(k)])) };
}

/**
 * Why ticket `statement` of `req` does not hold at hub `hub` (`me`: its keys, undefined
 * when --insecure), or undefined when it does: its signature, or its MAC for this hub and
 * the binding of the client's sealing key (which the MAC proves) to its signing key.
 */
function unauthentic(hub: string, me: Identity | undefined, req: ExecRequest, client: string, seen: ReturnType<JobMarks['get']>, statement: Uint8Array): string | undefined {
  const c = req.client!;
  if (req.ticket) {
    if (takenBefore(seen, client, statement, req.ticket) || verify(c.sign, statement, req.ticket)) return undefined;
    return 'the ticket is not signed by the client it names, or was altered';
  }
  if (!me) return `hub ${hub} has no sealing key (--insecure) and takes only signed tickets`;
  if (!checkClientBinding(c, req.clientBind)) return "the client's sealing key is not bound to its signing key ('clientBind')";
  if (!checkTicketMac(me, c.seal, statement, req.ticketMacs?.[hub])) return `the ticket has no MAC for hub ${hub} from the client it names, or was altered`;
  return undefined;
}

/** See the module comment. `reply`: the request's own reply subject. Marks the job key when it passes. */
export function checkTicket(hub: string, me: Identity | undefined, marks: JobMarks, req: ExecRequest, reply: string | undefined): WireError | undefined {
  if (!req.ticket && !req.ticketMacs) {
    const steering = STEERING.filter((f) => req[f] !== undefined);
    if (steering.length) return no('ticket-missing', `exec ${req.job}: ${steering.join(', ')} count only under the engine's signed ticket, and none came`);
    return undefined;
  }
  if (!req.client || req.issued === undefined || !req.inboxes) return no('ticket-bad', `exec ${req.job}: a ticket needs 'client', 'issued' and 'inboxes'`);
  const t: ExecTicket = {
    job: req.job, attempt: req.attempt ?? 0, record: req.record, bundle: req.bundle, route: req.route ?? [], keys: req.keys ?? {}, inboxes: req.inboxes, issued: req.issued,
  };
  const client = hex(req.client.sign);
  const seen = marks.get(req.job);
  const statement = ticketStatement(t);
  const bad = unauthentic(hub, me, req, client, seen, statement);
  if (bad) return no('ticket-bad', `exec ${req.job}: ${bad}`);
  if (seen?.clientSign && seen.clientSign !== client) return no('ticket-not-yours', `job ${req.job} belongs to another client`);
  if (req.route && !req.route.includes(hub)) return no('ticket-route', `exec ${req.job}: hub ${hub} is not on the route its engine signed`);
  const replyTo = req.replyTo ?? reply;
  if (replyTo && !under(replyTo, t.inboxes)) return no('ticket-reply', `exec ${req.job}: replies go only to the inboxes its engine signed, not ${replyTo}`);
  if (req.progress && !under(req.progress, t.inboxes)) return no('ticket-reply', `exec ${req.job}: progress goes only to the inboxes its engine signed`);
  const engineExec = req.from === undefined;
  if (engineExec && Math.abs(Date.now() - t.issued) > TICKET_SKEW_MS) {
    return no('ticket-stale', `exec ${req.job}: issued ${Math.round((Date.now() - t.issued) / 1000)} s from this hub's clock; an engine exec is taken within ${TICKET_SKEW_MS / 60_000} min`);
  }
  if (engineExec && seen?.engineExec) return no('ticket-replayed', `exec ${req.job}: its engine's exec was already taken here`);
  const mark = marks.take(req.job);
  if (!mark) return busy(hub);
  mark.clientSign = client;
  if (engineExec) mark.engineExec = true;
  // A move may already have given this key a newer ticket here: keep the newest.
  // (A MACed ticket leaves no signature to forward: its MACs travel with the job.)
  if (!mark.ticket || t.issued >= mark.ticket.issued) { mark.ticket = ownBytes(t); mark.sig = req.ticket && new Uint8Array(req.ticket); }
  return undefined;
}

/** See the module comment. The caller stores the returned ticket once the run takes the move. */
export function checkMoveTicket(hub: string, marks: JobMarks, m: MoveRequest): MovedTicket | WireError {
  const mark = marks.get(m.job);
  if (!mark?.ticket || !mark.clientSign) return no('not-here', `job ${m.job} is not running on hub ${hub} under a ticket`);
  if (!m.ticket || !m.route || m.issued === undefined) return no('ticket-missing', `move of ${m.job}: a move needs the job's new ticket (route, keys, issued, ticket)`);
  if (!m.route.includes(m.to)) return no('ticket-route', `move of ${m.job}: hub ${m.to} is not on the route of its new ticket`);
  if (m.issued <= mark.ticket.issued) return no('ticket-replayed', `move of ${m.job}: its ticket is not newer than the one the job runs under`);
  const t: ExecTicket = { ...mark.ticket, route: m.route, keys: m.keys ?? {}, issued: m.issued };
  if (!verify(Buffer.from(mark.clientSign, 'hex'), ticketStatement(t), m.ticket)) return no('ticket-bad', `move of ${m.job}: the ticket is not signed by the job's client`);
  return { ticket: t, sig: m.ticket, key: t.keys[m.to] };
}
