/** What a keystore file's first bytes say it is. JCEKS is recognised though the API does not accept it. */
export type KeystoreFormat = 'JKS' | 'JCEKS' | 'PKCS12' | 'unknown';

/** A file's format and, for people, what its bytes look like. */
export interface SniffedFile {
  format: KeystoreFormat;
  /** Begins with the format name, or with "looks like" / "starts with" when the format is unknown. */
  description: string;
}

/** Base64 characters decoded from the head of a file: 48 bytes, more than any check reads. */
const HEAD_CHARS = 64;
const BASE64_TEXT = /^[A-Za-z0-9+/]+={0,2}$/;
const PRINTABLE_TEXT = /^[\t\n\r\x20-\x7e]+$/;

const LABELS: Record<Exclude<KeystoreFormat, 'unknown'>, string> = {
  JKS: 'JKS',
  JCEKS: 'JCEKS',
  PKCS12: 'PKCS#12',
};

/** Decodes the first whole base64 quanta of `base64` only, however long the file is. */
function decodeHead(base64: string): Buffer {
  const head = base64.slice(0, HEAD_CHARS);
  return Buffer.from(head.slice(0, head.length - (head.length % 4)), 'base64');
}

function startsWith(bytes: Buffer, prefix: readonly number[]): boolean {
  return prefix.every((byte, index) => bytes[index] === byte);
}

/**
 * Where the contents of a DER (or BER) element begin, after its tag at 0 and its length: short
 * form (one byte below 0x80), long form (0x81 to 0x84, then that many bytes) or BER's
 * indefinite form (0x80). Undefined when the length is cut short or not of these forms.
 */
function contentStart(bytes: Buffer): number | undefined {
  const first = bytes[1];
  if (first === undefined) return undefined;
  if (first <= 0x80) return 2;
  const lengthBytes = first - 0x80;
  if (lengthBytes > 4 || bytes.length < 2 + lengthBytes) return undefined;
  return 2 + lengthBytes;
}

function hex(bytes: Buffer): string {
  return [...bytes.subarray(0, 8)].map((byte) => byte.toString(16).padStart(2, '0').toUpperCase()).join(' ');
}

function sniffBytes(bytes: Buffer, nested: boolean): SniffedFile {
  if (startsWith(bytes, [0xfe, 0xed, 0xfe, 0xed]))
    return { format: 'JKS', description: 'JKS (starts with FE ED FE ED)' };
  if (startsWith(bytes, [0xce, 0xce, 0xce, 0xce])) {
    return { format: 'JCEKS', description: 'JCEKS (starts with CE CE CE CE)' };
  }
  if (bytes[0] === 0x30) {
    // PKCS#12's PFX is a SEQUENCE whose first element is its version, INTEGER 3 (RFC 7292).
    const start = contentStart(bytes);
    if (start !== undefined && startsWith(bytes.subarray(start), [0x02, 0x01, 0x03])) {
      return { format: 'PKCS12', description: 'PKCS#12 (a DER SEQUENCE whose first element is INTEGER 3)' };
    }
    return {
      format: 'unknown',
      description: 'looks like DER (an ASN.1 SEQUENCE) but not PKCS#12: a certificate or a bare private key?',
    };
  }
  const text = bytes.toString('latin1');
  if (text.startsWith('-----BEGIN')) {
    return { format: 'unknown', description: `looks like PEM text (starts with ${text.split(/\r?\n/)[0]})` };
  }
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) {
    return { format: 'unknown', description: 'looks like a ZIP archive (starts with PK)' };
  }
  const whole = text.slice(0, text.length - (text.length % 4));
  if (!nested && whole.length >= 4 && BASE64_TEXT.test(whole)) {
    const inner = sniffBytes(Buffer.from(whole, 'base64'), true);
    const of = inner.format === 'unknown' ? 'something that is no keystore either' : LABELS[inner.format];
    return { format: 'unknown', description: `looks like base64 text (encoded twice?) of ${of}` };
  }
  if (PRINTABLE_TEXT.test(text)) {
    return { format: 'unknown', description: `looks like text (starts with "${text.slice(0, 20).trimEnd()}")` };
  }
  return {
    format: 'unknown',
    description: `starts with bytes ${hex(bytes)}, which begin no keystore type (JKS: FE ED FE ED; PKCS#12: 30, a length, 02 01 03)`,
  };
}

/**
 * Tells from its first bytes what a base64 keystore file holds, decoding only its head (never
 * the whole file). Pure; the mock only reports what it finds, since the product does not
 * refuse a file that does not match its declared type.
 *
 * @example
 * sniffKeystoreFile('/u3+7QAAAAIAAAAB') // { format: 'JKS', description: 'JKS (starts with FE ED FE ED)' }
 */
export function sniffKeystoreFile(base64: string): SniffedFile {
  return sniffBytes(decodeHead(base64), false);
}

/**
 * One note per environment entry whose file does not look like its declared `type`, for the
 * journal entry and the warning log line (never the body: the product accepts such files).
 *
 * @example
 * keystoreFileNotes([{ type: 'PKCS12', file: '/u3+7QAAAAIAAAAB' }])
 * // ['keyStoreEnvironmentList[0].file is declared PKCS12 but its bytes look like JKS (starts with FE ED FE ED)']
 */
export function keystoreFileNotes(entries: readonly { type: string; file: string }[]): string[] {
  const notes: string[] = [];
  for (const [index, entry] of entries.entries()) {
    const sniffed = sniffKeystoreFile(entry.file);
    if (sniffed.format === entry.type) continue;
    const field = `keyStoreEnvironmentList[${index}].file is declared ${entry.type}`;
    notes.push(
      sniffed.format === 'unknown'
        ? `${field} but its bytes are neither JKS nor PKCS#12: it ${sniffed.description}`
        : `${field} but its bytes look like ${sniffed.description}`,
    );
  }
  return notes;
}
