import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AgentError } from '../../errors/agent-error';
import { readNvram, writeNvram } from './nvram-file';

describe('NVRAM file export/import', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'nvram-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('reads a file whole with its digest; none (or empty) is null', async () => {
    const bytes = Buffer.from([0, 1, 2, 255, 254]);
    await writeFile(join(dir, 'a_VARS.fd'), bytes);
    expect(await readNvram(join(dir, 'a_VARS.fd'))).toEqual({
      base64: bytes.toString('base64'),
      sha256: createHash('sha256').update(bytes).digest('hex'),
      sizeBytes: 5,
    });
    expect(await readNvram(join(dir, 'missing_VARS.fd'))).toBeNull();
    await writeFile(join(dir, 'empty_VARS.fd'), '');
    expect(await readNvram(join(dir, 'empty_VARS.fd'))).toBeNull();
  });

  it('writes an export over the path (owner-only), byte for byte, leaving no temporary file', async () => {
    const src = join(dir, 'src_VARS.fd');
    await writeFile(src, Buffer.alloc(4096, 0xa5));
    const content = (await readNvram(src))!;
    const dst = join(dir, 'dst_VARS.fd');
    await writeFile(dst, 'fresh template');
    expect(await writeNvram(dst, content)).toEqual({ path: dst, sha256: content.sha256 });
    expect((await readFile(dst)).equals(await readFile(src))).toBe(true);
    expect((await stat(dst)).mode & 0o777).toBe(0o600);
    expect((await readdir(dir)).sort()).toEqual(['dst_VARS.fd', 'src_VARS.fd']);
  });

  it('refuses content that does not match its digest, and leaves the file as it was', async () => {
    const dst = join(dir, 'dst_VARS.fd');
    await writeFile(dst, 'old');
    const bad = { base64: Buffer.from('abc').toString('base64'), sha256: '0'.repeat(64), sizeBytes: 3 };
    await expect(writeNvram(dst, bad)).rejects.toBeInstanceOf(AgentError);
    expect(await readFile(dst, 'utf8')).toBe('old');
    expect(await readdir(dir)).toEqual(['dst_VARS.fd']);
  });
});
