import { decodeBuffer, getEncoding } from 'encoding-sniffer';

// How far to look for <meta charset> or <?xml encoding?>: as far as our own sniffer looked, since
// real pages put long preludes before the meta (WHATWG's prescan stops at 1024 bytes).
const SNIFF_BYTES = 2048;
const NON_ASCII = /[\u0080-\uffff]/;

/**
 * Decodes a body by the WHATWG sniffing rules (encoding-sniffer: BOM, then the header's charset,
 * then <meta charset> or <?xml encoding?>, else windows-1252), except that bytes that are valid
 * UTF-8 with non-ASCII characters are read as UTF-8 whatever a label claims, and bytes labelled
 * UTF-8 that are not valid UTF-8 are read as windows-1252.
 */
export function decodeBody(bytes: Uint8Array, contentType: string): string {
  const utf8 = decodeStrictUtf8(bytes);
  // Our rule, not WHATWG's: a latin1 label over UTF-8 bytes is a common mislabelling, while text in
  // a legacy charset with non-ASCII bytes is almost never valid UTF-8 by chance.
  if (utf8 !== undefined && NON_ASCII.test(utf8)) return utf8;
  const encoding = getEncoding(bytes, { transportLayerEncodingLabel: charsetOf(contentType), maxBytes: SNIFF_BYTES });
  // Ours too: WHATWG would put U+FFFD for every accent of a latin1 page that claims UTF-8.
  if (encoding === 'UTF-8') return utf8 ?? decodeAs(bytes, 'windows-1252');
  return decodeAs(bytes, encoding);
}

function decodeStrictUtf8(bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

function charsetOf(contentType: string): string | undefined {
  return /charset\s*=\s*["']?([\w.:-]+)/i.exec(contentType)?.[1];
}

/** Decodes with iconv-lite through encoding-sniffer (a BOM still wins over `encoding`). */
function decodeAs(bytes: Uint8Array, encoding: string): string {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  try {
    return decodeBuffer(buffer, { userEncoding: encoding });
  } catch {
    // A label WHATWG knows and iconv-lite cannot decode (x-user-defined in a header).
    return decodeBuffer(buffer, { userEncoding: 'windows-1252' });
  }
}

/** The UTF-16 encoding a byte order mark at the start names, if any. */
export function utf16Bom(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | undefined {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  return undefined;
}

/** Why bytes are not text: NUL bytes near the start (UTF-16 with its BOM aside). */
function binaryReason(bytes: Uint8Array): string | undefined {
  if (utf16Bom(bytes) === undefined && bytes.subarray(0, 8192).includes(0)) return 'binary file (contains NUL bytes), not a text posting';
  return undefined;
}

/** Text of a posting file: UTF-8, or UTF-16 with its byte order mark; or why the bytes are not a text file. */
export function decodeText(bytes: Uint8Array): string | { error: string } {
  const binary = binaryReason(bytes);
  if (binary) return { error: binary };
  const encoding = utf16Bom(bytes) ?? 'utf-8';
  try {
    // The decoder drops the BOM.
    return new TextDecoder(encoding, { fatal: true }).decode(bytes);
  } catch {
    return { error: encoding === 'utf-8' ? 'not valid UTF-8 text' : `not valid ${encoding.toUpperCase()} text` };
  }
}

/** Text of an HTML page: its BOM, <meta charset> or UTF-8, legacy encodings included (as a browser reads a file). */
export function decodeHtml(bytes: Uint8Array): string | { error: string } {
  const binary = binaryReason(bytes);
  return binary ? { error: binary } : decodeBody(bytes, 'text/html');
}
