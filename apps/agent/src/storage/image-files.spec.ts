import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasIso9660Signature, receiveInto } from './image-files';
import { TransferListener } from './transfer-listener';

const TOKEN = 'x'.repeat(43);
let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'image-files-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Sends token + bytes to a receiving listener, half-closes, and returns the host's answer line. */
async function upload(file: string, offset: number, limit: number, chunks: Buffer[], token = TOKEN) {
  let written: number | undefined;
  const listener = new TransferListener({
    token: TOKEN,
    validForMs: 5000,
    onSession: async (s, rest) => {
      written = await receiveInto(s, rest, file, offset, limit);
    },
  });
  const port = await listener.listen();
  const answer = await new Promise<string>((resolve) => {
    const c = connect({ port, host: '127.0.0.1', allowHalfOpen: true }, () => {
      c.write(token);
      for (const b of chunks) c.write(b);
      c.end();
    });
    let text = '';
    c.on('data', (b: Buffer) => (text += b.toString()));
    c.on('error', () => undefined);
    c.on('close', () => resolve(text));
  });
  listener.close();
  return { answer, written };
}

describe('receiving an upload into a volume file', () => {
  it('writes at the offset and answers the exact count, whatever the chunking', async () => {
    const file = join(dir, 'v.img');
    writeFileSync(file, Buffer.alloc(64));
    const { answer } = await upload(file, 10, 54, [Buffer.from('abc'), Buffer.from('defgh')]);
    expect(answer).toBe('8\n');
    expect(readFileSync(file).subarray(10, 18).toString()).toBe('abcdefgh');
    expect(readFileSync(file).length).toBe(64);
  });

  it('never writes past the limit', async () => {
    const file = join(dir, 'v.img');
    writeFileSync(file, Buffer.alloc(8));
    const { written } = await upload(file, 4, 4, [Buffer.from('123456')]);
    expect(written).toBe(4);
    expect(readFileSync(file).toString('latin1')).toBe('\0\0\0\x001234');
  });

  it('drops a connection with a wrong token without touching the file', async () => {
    const file = join(dir, 'v.img');
    writeFileSync(file, Buffer.alloc(8));
    const { answer, written } = await upload(file, 0, 8, [Buffer.from('evil')], 'y'.repeat(43));
    expect(answer).toBe('');
    expect(written).toBeUndefined();
    expect(readFileSync(file)).toEqual(Buffer.alloc(8));
  });
});

describe('hasIso9660Signature', () => {
  it('finds CD001 at byte 32769 only', async () => {
    const iso = Buffer.alloc(40_000);
    iso.write('CD001', 32769, 'latin1');
    writeFileSync(join(dir, 'a.iso'), iso);
    writeFileSync(join(dir, 'b.img'), Buffer.alloc(40_000));
    writeFileSync(join(dir, 'tiny'), Buffer.from('CD001'));
    expect(await hasIso9660Signature(join(dir, 'a.iso'))).toBe(true);
    expect(await hasIso9660Signature(join(dir, 'b.img'))).toBe(false);
    expect(await hasIso9660Signature(join(dir, 'tiny'))).toBe(false);
  });
});
