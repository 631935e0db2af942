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

function maker(line: DiffLine): string | null {
  const m = CLIENT_MAKER.exec(codeOnly(line.text));
  return m === null ? null : ((m[1] ?? m[2]) as string);
}

/** A client made where the diff removed a shallower, shared one of the same kind, and no shared one made anew. */
export function clientsPerCall(diff: Diff, file: FileLines): RiskSignal[] {
  const shared = file.deleted.flatMap((line) => {
    const name = maker(line);
    return name === null ? [] : [{ name, depth: depth(line.text) }];
  });
  if (shared.length === 0) return [];
  const made = file.added.flatMap((line) => {
    const name = maker(line);
    return name === null ? [] : [{ name, depth: depth(line.text), line }];
  });
  const out: RiskSignal[] = [];
  for (const gone of shared) {
    const again = made.filter((m) => m.name === gone.name);
    // Still made once at the old depth (a client moved or reconfigured): nothing changed in how often.
    if (again.some((m) => m.depth <= gone.depth)) continue;
    const inBody = again.find((m) => m.depth > gone.depth);
    if (!inBody || out.some((s) => s.identifiers.includes(gone.name))) continue;
    out.push(
      makeSignal(diff, file.path, inBody.line, 'client_per_call', `${gone.name} was made once and shared; now one is made on every call, so each call opens a new connection (handshake, no keep-alive)`, {
        identifiers: [gone.name],
      }),
    );
  }
  return out;
}
