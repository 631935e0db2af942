// A client that was built once and shared is now built on every call: an HTTP or gRPC client,
// a database connection or pool, a session, created at module or class level before the diff
// and inside a function after it. Each call then opens its own connection (a TCP and TLS
// handshake, no keep-alive, a socket left in TIME_WAIT), which costs the callee far more than
// the request itself: a storm of handshakes at a steady request rate.
import type { Diff, DiffLine } from '../../bundle/index.js';
import { codeOnly, type FileLines } from './risk-code.js';
import { makeSignal, type RiskSignal } from './risk-types.js';

/**
 * Where a long-lived client is made: a constructor whose type names one (`httpx.Client(`,
 * `new HttpClient(`, `HttpClient.newHttpClient(`, `&http.Client{`, `requests.Session(`,
 * `redis.Redis(`), or a call that opens a connection or pool (`psycopg2.connect(`,
 * `grpc.Dial(`, `sql.Open(`, `create_engine(`, `mysql.createPool(`).
 */
const CLIENT_MAKER =
  /(?:\bnew\s+|&)?\b((?:[A-Za-z_]\w*\.)*(?:\w*(?:Client|Session|Pool|Connection|Channel|Transport|Dialer)\w*|Redis|StrictRedis|MongoClient))\s*(?:<[^>]*>)?\s*[({]|\b((?:[A-Za-z_]\w*\.)*(?:connect|Dial|DialContext|insecure_channel|secure_channel|create_engine|createPool|createConnection|createClient|sql\.Open))\s*\(/;

/** Indentation in columns (a tab as four): how deep in a body a line sits. */
function depth(text: string): number {
  let columns = 0;
  for (const ch of text) {
    if (ch === ' ') columns += 1;
    else if (ch === '\t') columns += 4;
    else break;
  }
  return columns;
}

/** Just before a construction, what keeps it for later: a field (`http: &`, `self.client = `, `this.pool = new `, `@client = `). */
const STORED_BEFORE = /(?:\w+\s*:\s*|(?:self|this)\.\w+\s*=\s*|@\w+\s*=\s*)(?:&|new\s+)?$/;

interface Made {
  name: string;
  depth: number;
  /** Kept in a field for later calls, not in a local of this call. */
  stored: boolean;
  line: DiffLine;
}

/** Every client a line makes. */
function makers(line: DiffLine): Made[] {
  const code = codeOnly(line.text);
  return [...code.matchAll(new RegExp(CLIENT_MAKER.source, 'g'))].map((m) => ({
    name: (m[1] ?? m[2]) as string,
    depth: depth(line.text),
    stored: STORED_BEFORE.test(code.slice(0, m.index)),
    line,
  }));
}

/** A client made in a body where the diff removed a shallower or stored one of the same kind, and no shared one made anew. */
export function clientsPerCall(diff: Diff, file: FileLines): RiskSignal[] {
  const shared = file.deleted.flatMap(makers);
  if (shared.length === 0) return [];
  const made = file.added.flatMap(makers);
  const out: RiskSignal[] = [];
  for (const gone of shared) {
    const again = made.filter((m) => m.name === gone.name);
    // Still made once at the old depth, or still stored for later (a client moved or reconfigured): nothing changed in how often.
    if (again.some((m) => m.stored || (!gone.stored && m.depth <= gone.depth))) continue;
    // Now made deeper than the shared one was, or kept in a local where a field held it.
    const inBody = again.find((m) => m.depth > gone.depth || (gone.stored && m.depth > 0));
    if (!inBody || out.some((s) => s.identifiers.includes(gone.name))) continue;
    out.push(
      makeSignal(diff, file.path, inBody.line, 'client_per_call', `${gone.name} was made once and shared; now one is made on every call, so each call opens a new connection (handshake, no keep-alive)`, {
        identifiers: [gone.name],
      }),
    );
  }
  return out;
}
