// Compression taken off what a service writes or sends. A writer that gzipped its files (or its
// messages, its responses) now writes them plain: the same work puts several times the bytes on
// the disk, the shared file system or the network behind it. Nothing about the writer itself
// looks worse (it even spends less CPU); whatever carries its bytes takes the multiple, and at
// the next large run or the peak, runs out of room.
import type { Diff, DiffLine } from '../../bundle/index.js';
import { codeOnly, type FileLines } from './risk-code.js';
import { makeSignal, type RiskSignal } from './risk-types.js';

/** A compressor in use: gzip/zlib/zstd/lz4/snappy/brotli streams and calls, a compression level, a `.gz` name. */
const COMPRESSES =
  /\bgzip\.(?:open|compress|GzipFile)\b|\bGZIPOutputStream\b|\bGzipCompressorOutputStream\b|\bgzip\.NewWriter\b|\bzlib\.(?:compress|compressobj|NewWriter)\b|\bDeflaterOutputStream\b|\bzstd\.\w*(?:Compressor|NewWriter|compress)\w*|\blz4\.\w*(?:frame|NewWriter|compress)\w*|\bsnappy\.(?:compress|NewBufferedWriter|Encode)\b|\bbrotli\.compress\b|\bcompress_?level\b|\.(?:gz|zst|lz4|bz2)\b["'`]/i;
const MAX_LINE = 1_000;

const compresses = (line: DiffLine): boolean => line.text.length <= MAX_LINE && COMPRESSES.test(codeOnly(line.text));

/** A file whose removed lines compressed what it writes, in a diff whose added lines compress nothing (compression moved elsewhere is kept). */
export function compressionRemoved(diff: Diff, file: FileLines): RiskSignal[] {
  const gone = file.deleted.find(compresses);
  if (gone === undefined) return [];
  const addedAnywhere = diff.files.some((f) => f.hunks.some((h) => h.lines.some((l) => l.kind === 'add' && compresses(l))));
  if (addedAnywhere) return [];
  // Where it now writes: the first added line that opens or writes, else the first added line.
  const at = file.added.find((l) => /\bopen\(|\bwrite|Writer\(|OutputStream\(/.test(l.text)) ?? file.added[0] ?? gone;
  return [
    makeSignal(diff, file.path, at, 'compression_removed', `stopped compressing what it writes (${gone.text.trim().slice(0, 60)} removed): the same work now puts several times the bytes on the disk or network behind it`, {
      direction: 'removed',
      identifiers: [],
    }),
  ];
}
