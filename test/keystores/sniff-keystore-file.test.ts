import { keystoreFileNotes, sniffKeystoreFile } from '../../src/keystores/sniff-keystore-file';

const b64 = (bytes: number[] | string): string =>
  (typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : Buffer.from(bytes)).toString('base64');

const JKS = [0xfe, 0xed, 0xfe, 0xed, 0, 0, 0, 2, 0, 0, 0, 1];
const JCEKS = [0xce, 0xce, 0xce, 0xce, 0, 0, 0, 2, 0, 0, 0, 1];
/** A PKCS#12 PFX header with a short-form length: SEQUENCE (0x30, 0x2a), INTEGER 3. */
const PKCS12_SHORT = [0x30, 0x2a, 0x02, 0x01, 0x03, 0x30, 0x25];
/** The usual header of a real file: SEQUENCE with a two-byte length (0x82 0x0a 0x1b), INTEGER 3. */
const PKCS12_LONG = [0x30, 0x82, 0x0a, 0x1b, 0x02, 0x01, 0x03, 0x30, 0x82, 0x09, 0xd4];
/** Some tools write BER with an indefinite length (0x80). */
const PKCS12_INDEFINITE = [0x30, 0x80, 0x02, 0x01, 0x03, 0x30, 0x80];
/** A DER X.509 certificate: SEQUENCE, then another SEQUENCE (the TBSCertificate), no INTEGER 3. */
const DER_CERTIFICATE = [0x30, 0x82, 0x03, 0x5d, 0x30, 0x82, 0x02, 0x45, 0xa0, 0x03, 0x02, 0x01, 0x02];
const PEM = '-----BEGIN CERTIFICATE-----\nMIIDXTCCAkWgAwIBAgIJAKL0UG+mRkSPMA0GCSqGSIb3DQEBCwUAMEUxCzAJBgNV\n';

const CASES: [string, string, string, RegExp][] = [
  ['a JKS file', b64(JKS), 'JKS', /^JKS \(starts with FE ED FE ED\)$/],
  ['a JCEKS file', b64(JCEKS), 'JCEKS', /^JCEKS \(starts with CE CE CE CE\)$/],
  ['a PKCS#12 file with a short-form length', b64(PKCS12_SHORT), 'PKCS12', /^PKCS#12/],
  ['a PKCS#12 file with a long-form length', b64(PKCS12_LONG), 'PKCS12', /^PKCS#12/],
  ['a PKCS#12 file with an indefinite length', b64(PKCS12_INDEFINITE), 'PKCS12', /^PKCS#12/],
  ['a DER certificate', b64(DER_CERTIFICATE), 'unknown', /DER.*not PKCS#12/],
  ['a PEM file', b64(PEM), 'unknown', /looks like PEM text \(starts with -----BEGIN CERTIFICATE-----\)/],
  ['a JKS file encoded twice', b64(b64(JKS)), 'unknown', /looks like base64 text \(encoded twice\?\) of JKS/],
  ['a PKCS#12 file encoded twice', b64(b64(PKCS12_LONG)), 'unknown', /base64 text \(encoded twice\?\) of PKCS#12/],
  ['plain text', b64('hello, keystore'), 'unknown', /looks like text \(starts with "hello, keystore"\)/],
  ['a ZIP archive', b64([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0, 0]), 'unknown', /looks like a ZIP archive/],
  ['one zero byte', b64([0]), 'unknown', /starts with bytes 00,/],
  ['random bytes', b64([0x01, 0x02, 0x03, 0x04, 0x05]), 'unknown', /starts with bytes 01 02 03 04 05,/],
  ['a SEQUENCE cut short', b64([0x30, 0x82]), 'unknown', /DER.*not PKCS#12/],
];

describe('sniffKeystoreFile', () => {
  it.each(CASES)('recognises %s', (_case, file, format, description) => {
    const sniffed = sniffKeystoreFile(file);
    expect(sniffed.format).toBe(format);
    expect(sniffed.description).toMatch(description);
  });

  it('decodes only the first bytes of a large file', () => {
    // 5 MiB of JKS is recognised from its head; the tail is not even valid base64.
    const file = b64(JKS) + 'A'.repeat(5 * 1024 * 1024) + '!!!!';
    expect(sniffKeystoreFile(file).format).toBe('JKS');
  });
});

describe('keystoreFileNotes', () => {
  const entry = (type: string, file: string) => ({ environmentName: 'production', type, file });

  it('notes nothing when every file looks like its declared type', () => {
    expect(keystoreFileNotes([entry('JKS', b64(JKS)), entry('PKCS12', b64(PKCS12_LONG))])).toEqual([]);
  });

  it('notes a file whose bytes look like the other type, with its position', () => {
    expect(keystoreFileNotes([entry('JKS', b64(JKS)), entry('PKCS12', b64(JKS))])).toEqual([
      'keyStoreEnvironmentList[1].file is declared PKCS12 but its bytes look like JKS (starts with FE ED FE ED)',
    ]);
  });

  it('notes a JCEKS file declared as JKS, since JCEKS is not a type the API accepts', () => {
    expect(keystoreFileNotes([entry('JKS', b64(JCEKS))])).toEqual([
      'keyStoreEnvironmentList[0].file is declared JKS but its bytes look like JCEKS (starts with CE CE CE CE)',
    ]);
  });

  it('notes a file that is no keystore, saying what it looks like', () => {
    expect(keystoreFileNotes([entry('PKCS12', b64(PEM))])).toEqual([
      'keyStoreEnvironmentList[0].file is declared PKCS12 but its bytes are neither JKS nor PKCS#12: ' +
        'it looks like PEM text (starts with -----BEGIN CERTIFICATE-----)',
    ]);
  });
});
