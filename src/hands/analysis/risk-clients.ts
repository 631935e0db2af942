// Something built once and shared is now built on every call. A client (an HTTP or gRPC client,
// a database connection or pool, a session), created at module or class level before the diff
// and inside a function after it: each call then opens its own connection (a TCP and TLS
// handshake, no keep-alive, a socket left in TIME_WAIT), which costs the callee far more than
// the request itself, a storm of handshakes at a steady request rate. Or a compiled artifact (an
// XML schema, a regular expression, a template, a JAXB context): each call compiles it again,
// CPU and garbage per request that a quiet hour absorbs and the peak does not.
import type { Diff, DiffLine } from '../../bundle/index.js';
import { codeOnly, type FileLines } from './risk-code.js';
import { makeSignal, type RiskSignal } from './risk-types.js';

/**
 * Where a long-lived client is made: a constructor whose type names one (`httpx.Client(`,
 * `new HttpClient(`, `HttpClient.newHttpClient(`, `&http.Client{`, `requests.Session(`,
 * `redis.Redis(`), or a call that opens a connection or pool (`psycopg2.connect(`,
 * `grpc.Dial(`, `sql.Open(`, `create_engine(`, `mysql.createPool(`). Read token by token (a
 * dotted name, then what follows it), so a hostile line is read in one pass.
 */
const TOKEN = /[A-Za-z_][\w.]*/g;
const CLIENT_TYPE = /(?:Client|Session|Pool|Connection|Channel|Transport|Dialer)\w*$|^(?:Redis|StrictRedis|MongoClient)$/;
const CONNECTS = /(?:^|\.)(?:connect|Dial|DialContext|insecure_channel|secure_channel|create_engine|createPool|createConnection|createClient)$|^sql\.Open$/;
/** After a constructor's name: its type arguments, then `(` or `{`. */
const CONSTRUCTED = /^\s*(?:<[^<>]{0,120}>)?\s*[({]/;

/** A call that compiles something meant to be reused: `factory.newSchema(`, `Pattern.compile(`, `re.compile(`, `regexp.MustCompile(`, `JAXBContext.newInstance(`, `newTemplates(`, `Handlebars.compile(`. */
const COMPILES = /(?:^|\.)(?:newSchema|newTemplates|newTransformer|MustCompile|compile|compileTemplate)$|^JAXBContext\.newInstance$/;

/** What a dotted name followed by `after` makes, or null. */
function madeBy(name: string, after: string): { name: string; kind: 'client' | 'compiled' } | null {
  const last = name.slice(name.lastIndexOf('.') + 1);
  if (CLIENT_TYPE.test(last) && CONSTRUCTED.test(after)) return { name, kind: 'client' };
  if (CONNECTS.test(name) && /^\s*\(/.test(after)) return { name, kind: 'client' };
  // A receiver's compile call, not a function of that name alone (`compile(` may be anything).
  if (COMPILES.test(name) && name.includes('.') && /^\s*\(/.test(after)) return { name: last === 'newInstance' ? name : last, kind: 'compiled' };
  return null;
}

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
/** Just before a type name, a parameter list closing and perhaps a pointer: the name is the function's result type. */
const RESULT_TYPE = /\)\s*\*?\s*$/;
/** How much of the line before a construction is read for what keeps it. */
const BEFORE_CHARS = 120;

interface Made {
  name: string;
  kind: 'client' | 'compiled';
  depth: number;
  /** Kept in a field for later calls, not in a local of this call. */
  stored: boolean;
  line: DiffLine;
}

/** Every client a line makes. */
function makers(line: DiffLine): Made[] {
  const code = codeOnly(line.text);
  const out: Made[] = [];
  for (const m of code.matchAll(TOKEN)) {
    const name = m[0].replace(/\.+$/, '');
    const end = m.index + m[0].length;
    const made = madeBy(name, code.slice(end, end + 160));
    // A type named as a function's result (`func clientFor(r string) *http.Client {`) makes nothing.
    if (made === null || RESULT_TYPE.test(code.slice(Math.max(0, m.index - BEFORE_CHARS), m.index))) continue;
    out.push({ name: made.name, kind: made.kind, depth: depth(line.text), stored: STORED_BEFORE.test(code.slice(Math.max(0, m.index - BEFORE_CHARS), m.index)), line });
  }
  return out;
}

/**
 * A field declared to hold a client that something else made and handed in (`private readonly
 * HttpClient _http;`, `private final OkHttpClient client;`): a shared one, as much as one the
 * class built itself, whichever container built it.
 */
const HELD_FIELD = /^\s*(?:(?:private|protected|public|internal|readonly|final|static)\s+)+([A-Z]\w*(?:Client|Session|Pool|Connection|Channel))\s+[A-Za-z_]\w*\s*;/;

function heldFields(line: DiffLine): Made[] {
  const m = HELD_FIELD.exec(codeOnly(line.text));
  return m === null ? [] : [{ name: m[1] as string, kind: 'client', depth: depth(line.text), stored: true, line }];
}

/** A client or compiled artifact made in a body where the diff removed a shallower or stored one of the same kind, and no shared one made anew. */
export function clientsPerCall(diff: Diff, file: FileLines): RiskSignal[] {
  const shared = [...file.deleted.flatMap(makers), ...file.deleted.flatMap(heldFields)];
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
      gone.kind === 'client'
        ? makeSignal(diff, file.path, inBody.line, 'client_per_call', `${gone.name} was made once and shared; now one is made on every call, so each call opens a new connection (handshake, no keep-alive)`, {
            identifiers: [gone.name],
          })
        : makeSignal(diff, file.path, inBody.line, 'compiled_per_call', `${gone.name} was compiled once and kept; now it is compiled on every call, CPU and garbage per request that only the peak runs out of`, {
            identifiers: [gone.name],
          }),
    );
  }
  return out;
}
