/**
 * Issue 20, the ticket rules at one hub's seal gate, without a server: an engine exec
 * under a ticket is admitted once; a move is allowed only under a newer ticket from the
 * same client naming the target (the case the engine's re-weaving sends), and its
 * hand-over goes under that ticket. The same for tickets MACed per hub (where every hub of
 * the route has a sealing key), against a peer with a credential of its own.
 * test/attack.test.ts runs the attacks end to end.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { MAX_MAC_ROUTE, clientBinding, createIdentity, sign, ticketMacs, ticketStatement, type ExecTicket, type Identity } from '../runtime/net/index.js';
import { PROTOCOL_VERSION, type ExecRequest, type MoveRequest } from '../runtime/protocol/index.js';
import { SealGate, TICKET_SKEW_MS } from '../runtime/hub/internal.js';
import { capturingLogger } from './helpers/stand-ins.js';

const test = suite('attack tickets');
const BUNDLE = 'b'.repeat(64);
const engine = createIdentity();
const INBOX = '_INBOX.weave.e1';

function exec(t: ExecTicket, signer = engine): ExecRequest {
  return {
    kind: 'exec', v: PROTOCOL_VERSION, job: t.job, bundle: t.bundle, entry: 'main', fragment: 0, migrateEvery: 0, args: [1], attempt: t.attempt, record: t.record,
    route: [...t.route], keys: { ...t.keys }, inboxes: [...t.inboxes], issued: t.issued, client: signer.public, ticket: sign(signer, ticketStatement(t)),
  };
}

const ticket = (extra: Partial<ExecTicket> = {}): ExecTicket => ({ job: 'j.0', attempt: 0, record: 'j', bundle: BUNDLE, route: ['a', 'b'], keys: {}, inboxes: [INBOX], issued: Date.now(), ...extra });
const codeOf = (r: { code: string } | undefined) => r?.code ?? 'admitted';

test('an engine exec under its ticket is admitted once; altered, misdirected, stale or unsigned ones are refused', () => {
  const gate = new SealGate('a', createIdentity(), capturingLogger());
  const t = ticket();
  assert.is(codeOf(gate.admit(exec(t), `${INBOX}.7`)), 'admitted');
  assert.is(codeOf(gate.admit(exec(t), `${INBOX}.7`)), 'ticket-replayed');
  assert.is(codeOf(gate.admit({ ...exec(ticket({ job: 'k.0' })), route: ['a', 'evil'] }, `${INBOX}.1`)), 'ticket-bad', 'route altered');
  assert.is(codeOf(gate.admit(exec(ticket({ job: 'l.0' })), '_INBOX.peer.1')), 'ticket-reply');
  assert.is(codeOf(gate.admit(exec(ticket({ job: 'm.0', route: ['b'] })), `${INBOX}.1`)), 'ticket-route');
  assert.is(codeOf(gate.admit(exec(ticket({ job: 'n.0', issued: Date.now() - 3_600_000 })), `${INBOX}.1`)), 'ticket-stale');
  assert.is(codeOf(gate.admit(exec(ticket({ job: 'j.0' }), createIdentity()), `${INBOX}.1`)), 'ticket-not-yours');
  const { ticket: _t, ...unsigned } = exec(ticket({ job: 'o.0' }));
  assert.is(codeOf(gate.admit(unsigned, `${INBOX}.1`)), 'ticket-missing');
});

test('a ticket taken before is not checked again, but the same signature on an altered statement is refused', () => {
  const gate = new SealGate('a', createIdentity(), capturingLogger());
  const key = createIdentity().public.seal;
  const t = ticket({ keys: { b: key } });
  const first = exec(t);
  const sig = [...first.ticket!];
  const keyBytes = [...key];
  assert.is(codeOf(gate.admit(first, `${INBOX}.1`)), 'admitted');
  // What the hub keeps outlives the request's bytes (views of a message whose buffer a
  // slot may take): emptying them leaves its ticket as it was taken.
  first.ticket!.fill(0);
  for (const k of Object.values(first.keys ?? {})) k.fill(0);
  const kept = gate.ticketOf('j.0')!;
  assert.equal([[...kept.sig!], [...kept.ticket.keys.b]], [sig, keyBytes]);
  // The job back from hub b, under the same ticket: a hand-over, as round-robin brings it.
  const back = { ...exec(t), from: 'b', handovers: 2 };
  assert.is(codeOf(gate.admit(back, undefined)), 'admitted');
  const same = exec(t).ticket;
  assert.is(codeOf(gate.admit({ ...exec(t), from: 'b', route: ['a', 'b', 'evil'], ticket: same }, undefined)), 'ticket-bad', 'route altered');
  assert.is(codeOf(gate.admit({ ...exec(t), from: 'b', issued: t.issued + 1, ticket: same }, undefined)), 'ticket-bad', 'issued altered');
  assert.is(codeOf(gate.admit({ ...exec(t), from: 'b', client: createIdentity().public, ticket: same }, undefined)), 'ticket-bad', 'another client');
});

test("a move is allowed under a newer ticket of the job's client naming the target, and not again", () => {
  const gate = new SealGate('a', createIdentity(), capturingLogger());
  const t = ticket();
  assert.is(codeOf(gate.admit(exec(t), `${INBOX}.1`)), 'admitted');
  const target = createIdentity().public.seal;
  // As Attempt.moveTicket makes it: the route with the target added, its key, issued later.
  const moved: ExecTicket = { ...t, route: [...t.route, 'c'], keys: { c: target }, issued: t.issued + 1 };
  const move = (m: ExecTicket, signer = engine): MoveRequest => ({ kind: 'move', v: PROTOCOL_VERSION, job: 'j.0', to: 'c', route: [...m.route], keys: { ...m.keys }, issued: m.issued, ticket: sign(signer, ticketStatement(m)) });
  assert.is(codeOf(gate.admitMove(move(moved, createIdentity())) as never), 'ticket-bad');
  assert.is(codeOf(gate.admitMove({ kind: 'move', v: PROTOCOL_VERSION, job: 'j.0', to: 'c', key: target }) as never), 'ticket-missing');
  assert.is(codeOf(gate.admitMove({ ...move(moved), to: 'd' }) as never), 'ticket-route');
  const ok = gate.admitMove(move(moved));
  assert.ok(!('code' in ok), JSON.stringify(ok));
  if ('code' in ok) return;
  assert.equal([...ok.key!], [...target]);
  gate.moved('j.0', ok);
  assert.equal(gate.ticketOf('j.0')!.ticket.route, ['a', 'b', 'c'], 'the hand-over goes under the new ticket');
  assert.is(codeOf(gate.admitMove(move(moved)) as never), 'ticket-replayed', 'the same move again');
});

test("a job that ran start to finish here keeps its marks apart from live ones, and frees them once its engine exec would be stale", () => {
  const realNow = Date.now;
  let clock = realNow();
  Date.now = () => clock;
  try {
    // Three live keys at most: each tiny job held its key for an hour, and the fourth was refused 'busy'.
    const gate = new SealGate('a', createIdentity(), capturingLogger(), { maxKeys: 3 });
    for (let i = 0; i < 10; i++) {
      const req = exec(ticket({ job: `t${i}.0`, issued: clock }));
      assert.is(codeOf(gate.admit(req, `${INBOX}.1`)), 'admitted', `job ${i}`);
      gate.finished(req);
      clock += 1000;
    }
    assert.is(codeOf(gate.admit(exec(ticket({ job: 't0.0', issued: clock - 10_000 })), `${INBOX}.1`)), 'ticket-replayed', 'while its exec is fresh, the marks hold');
    assert.is(gate.ticketOf('t0.0'), undefined, 'only what refuses a replay is kept');
    clock += TICKET_SKEW_MS + 61_000;
    const next = exec(ticket({ job: 'n.0', issued: clock }));
    assert.is(codeOf(gate.admit(next, `${INBOX}.1`)), 'admitted');
    assert.is(gate.marks.get('t0.0'), undefined, 'forgotten');
    assert.is(codeOf(gate.admit(exec(ticket({ job: 't0.0', issued: clock - TICKET_SKEW_MS - 71_000 })), `${INBOX}.1`)), 'ticket-stale', 'the replay, once forgotten');
    // A job that took a sealed state here (a hand-over may still come) keeps its marks, and counts as live.
    const kept = exec(ticket({ job: 'k.0', issued: clock }));
    assert.is(codeOf(gate.admit(kept, `${INBOX}.1`)), 'admitted');
    gate.marks.get('k.0')!.seq = 0;
    gate.finished(kept);
    assert.ok(gate.ticketOf('k.0'), 'its ticket kept');
    clock += 2 * TICKET_SKEW_MS;
    gate.admit(exec(ticket({ job: 'x.0', issued: clock })), `${INBOX}.1`);
    assert.ok(gate.marks.get('k.0'), 'kept for its hour');
  } finally {
    Date.now = realNow;
  }
});

const hubA = createIdentity();
const hubB = createIdentity();

/** As Attempt.request makes it where every hub of the route has a sealing key. */
function macExec(t: ExecTicket, client: Identity = engine): ExecRequest {
  const { ticket: _sig, ...rest } = exec(t, client);
  return { ...rest, ticketMacs: ticketMacs(client, t), clientBind: clientBinding(client) };
}

const macTicket = (extra: Partial<ExecTicket> = {}) => ticket({ keys: { a: hubA.public.seal, b: hubB.public.seal }, ...extra });

test('a ticket MACed for each hub of its route is admitted once at each, and refused altered, for another hub, or unbound', () => {
  const a = new SealGate('a', hubA, capturingLogger());
  const b = new SealGate('b', hubB, capturingLogger());
  const t = macTicket();
  const req = macExec(t);
  assert.ok(req.ticketMacs && !req.ticket, 'MACs, no signature');
  assert.is(codeOf(a.admit(req, `${INBOX}.1`)), 'admitted');
  assert.is(codeOf(a.admit(macExec(t), `${INBOX}.1`)), 'ticket-replayed');
  assert.is(a.ticketOf('j.0')?.sig, undefined, 'nothing to forward but the MACs the job carries');
  // The hand-over to b carries the same MACs: b checks its own.
  assert.is(codeOf(b.admit({ ...req, from: 'a', handovers: 1 }, undefined)), 'admitted');
  const fresh = () => new SealGate('a', hubA, capturingLogger());
  assert.is(codeOf(fresh().admit({ ...macExec(t), route: ['a', 'evil'] }, `${INBOX}.1`)), 'ticket-bad', 'route altered');
  assert.is(codeOf(fresh().admit({ ...macExec(t), issued: t.issued + 1 }, `${INBOX}.1`)), 'ticket-bad', 'issued altered');
  const m = macExec(t);
  assert.is(codeOf(fresh().admit({ ...m, ticketMacs: { a: m.ticketMacs!.b } }, `${INBOX}.1`)), 'ticket-bad', "b's MAC shown at a");
  assert.is(codeOf(fresh().admit({ ...m, ticketMacs: { b: m.ticketMacs!.b } }, `${INBOX}.1`)), 'ticket-bad', 'none for a');
  const { clientBind: _b, ...unbound } = macExec(ticket({ job: 'u.0', keys: t.keys }), createIdentity());
  const refused = fresh().admit(unbound, `${INBOX}.1`);
  assert.is(codeOf(refused), 'ticket-bad', 'no binding');
  assert.match(refused!.message, /clientBind/);
  // An --insecure hub has no key to check a MAC with: it says so.
  const insecure = new SealGate('a', false, capturingLogger());
  const r = insecure.admit(macExec(ticket({ keys: t.keys })), `${INBOX}.1`);
  assert.is(codeOf(r), 'ticket-bad');
  assert.match(r!.message, /--insecure/);
  // A route of more hubs than MAX_MAC_ROUTE (a MAC each) is signed; so is one with a hub without a key.
  const many = Array.from({ length: MAX_MAC_ROUTE + 1 }, (_, i) => `h${i}`);
  assert.is(ticketMacs(engine, ticket({ route: many, keys: Object.fromEntries(many.map((h) => [h, hubA.public.seal])) })), undefined);
  assert.is(ticketMacs(engine, ticket({ route: ['a', 'b'], keys: { a: hubA.public.seal } })), undefined);
});

test("a peer with a credential of its own cannot MAC a ticket in another client's name", () => {
  const a = new SealGate('a', hubA, capturingLogger());
  const t = macTicket();
  assert.is(codeOf(a.admit(macExec(t), `${INBOX}.1`)), 'admitted');
  const mallory = createIdentity();
  // Mallory names the engine's signing key beside her own sealing key, MACs with it, and
  // binds it with her own signature: the binding is not the engine's.
  const claim = { sign: engine.public.sign, seal: mallory.public.seal };
  const t2 = macTicket({ job: 'v.0' });
  const forged: ExecRequest = { ...macExec(t2, mallory), client: claim };
  assert.is(codeOf(a.admit(forged, `${INBOX}.1`)), 'ticket-bad', "her binding is not the engine's");
  // With the engine's own binding (it travels in every exec) she has not its sealing key:
  // her MAC is under another key.
  assert.is(codeOf(a.admit({ ...forged, client: engine.public, clientBind: clientBinding(engine) }, `${INBOX}.1`)), 'ticket-bad', 'her MAC, the engine\'s keys');
  // Under her own keys throughout, the ticket is good, but the job key is the engine's.
  assert.is(codeOf(a.admit({ ...macExec(t, mallory), issued: t.issued, from: 'b', handovers: 1 }, undefined)), 'ticket-not-yours');
  // And a move of the engine's job needs the engine's signature, MACed ticket or not.
  const moved: ExecTicket = { ...t, route: ['a', 'b', 'c'], issued: t.issued + 1 };
  const move = (signer: Identity): MoveRequest => ({ kind: 'move', v: PROTOCOL_VERSION, job: 'j.0', to: 'c', route: [...moved.route], keys: { ...moved.keys }, issued: moved.issued, ticket: sign(signer, ticketStatement(moved)) });
  assert.is(codeOf(a.admitMove(move(mallory)) as never), 'ticket-bad');
  const ok = a.admitMove(move(engine));
  assert.ok(!('code' in ok), JSON.stringify(ok));
});

test.run();
