import type { StorageDomain } from '@kelpie/shared-types';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { jsonResponse, renderWithQueries, resetAfterEach } from '../api/fetch-stub';
import { ImagesPanel } from './ImagesPanel';
import { sendImageBytes, UPLOAD_CHUNK, type StorageImage } from './imagesApi';

resetAfterEach();

/**
 * The chunks go by XMLHttpRequest (for its upload progress): this one hands each request to the
 * stubbed `fetch` (the fake host), after reporting the first half of the body as sent.
 */
class XhrOverFetch {
  upload: { onprogress?: (e: { loaded: number }) => void } = {};
  onload?: () => void;
  onerror?: () => void;
  onabort?: () => void;
  onloadend?: () => void;
  ontimeout?: () => void;
  status = 0;
  responseText = '';
  private method = '';
  private url = '';
  private headers: Record<string, string> = {};
  private answer = new Headers();
  open(method: string, url: string) {
    this.method = method;
    this.url = url;
  }
  setRequestHeader(name: string, value: string) {
    this.headers[name] = value;
  }
  getAllResponseHeaders() {
    return [...this.answer].map(([k, v]) => `${k}: ${v}\r\n`).join('');
  }
  abort() {}
  send(body: Blob) {
    const half = Math.floor(body.size / 2);
    this.upload.onprogress?.({ loaded: half });
    fetch(this.url, { method: this.method, headers: this.headers, body }).then(
      async (res) => {
        this.status = res.status;
        this.answer = res.headers;
        this.responseText = await res.text();
        this.onload?.();
        this.onloadend?.();
      },
      () => {
        this.onerror?.();
        this.onloadend?.();
      },
    );
  }
}
beforeEach(() => {
  vi.stubGlobal('XMLHttpRequest', XhrOverFetch);
});

const URL = '/api/v1/storage-domains/sd-1/images/i-1/content';
const image = (patch: Partial<StorageImage> = {}) =>
  ({
    id: 'i-1',
    storageDomainId: 'sd-1',
    name: 'tools.iso',
    kind: 'iso',
    format: 'iso',
    status: 'ready',
    sizeBytes: 2048,
    receivedBytes: 2048,
    uploadUrl: URL,
    createdAt: new Date().toISOString(),
    ...patch,
  }) as StorageImage;

/** A host that has written `offset` bytes so far; PATCHes append, optionally dropping one. */
function tusHost(total: number, opts: { dropFirstPatch?: boolean; lastAnswer?: Response } = {}) {
  let offset = 0;
  let dropped = false;
  const calls: string[] = [];
  const fetchMock = vi.fn(async (url: string, init?: RequestInit) => {
    const method = init?.method ?? 'GET';
    const headers = (init?.headers ?? {}) as Record<string, string>;
    calls.push(`${method} ${method === 'PATCH' ? headers['Upload-Offset'] : ''}`.trim());
    if (method === 'HEAD')
      return new Response(null, { status: 200, headers: { 'Upload-Offset': String(offset) } });
    if (method === 'PATCH') {
      const chunk = init!.body as Blob;
      if (Number(headers['Upload-Offset']) !== offset)
        return jsonResponse(409, { code: 'conflict', message: 'offset' });
      expect(headers['Content-Type']).toBe('application/offset+octet-stream');
      if (opts.dropFirstPatch && !dropped) {
        dropped = true;
        offset += Math.floor(chunk.size / 2); // the host kept half before the connection dropped
        throw new TypeError('Failed to fetch');
      }
      offset += chunk.size;
      if (offset === total && opts.lastAnswer) return opts.lastAnswer;
      return new Response(null, { status: 204, headers: { 'Upload-Offset': String(offset) } });
    }
    return jsonResponse(404, { code: 'not_found', message: url });
  });
  vi.stubGlobal('fetch', fetchMock);
  return { calls, offset: () => offset };
}

describe('sendImageBytes', () => {
  it('sends chunks from the offset HEAD answers, resumes a dropped connection from the new HEAD offset', async () => {
    const total = UPLOAD_CHUNK * 2 + 10;
    const host = tusHost(total, { dropFirstPatch: true });
    const seen: number[] = [];
    await sendImageBytes(image({ sizeBytes: total }), new Blob([new Uint8Array(total)]), (p) =>
      seen.push(p.sent),
    );
    expect(host.offset()).toBe(total);
    const half = Math.floor(UPLOAD_CHUNK / 2);
    expect(host.calls).toEqual(['HEAD', 'PATCH 0', 'HEAD', `PATCH ${half}`, `PATCH ${half + UPLOAD_CHUNK}`]);
    expect(seen.at(-1)).toBe(total);
  });

  it('reports the bytes sent within a chunk (upload progress), not only at its end', async () => {
    const total = UPLOAD_CHUNK * 2 + 10;
    tusHost(total);
    const seen: number[] = [];
    await sendImageBytes(image({ sizeBytes: total }), new Blob([new Uint8Array(total)]), (p) =>
      seen.push(p.sent),
    );
    const half = UPLOAD_CHUNK / 2;
    expect(seen).toEqual([
      0,
      half,
      UPLOAD_CHUNK,
      UPLOAD_CHUNK + half,
      2 * UPLOAD_CHUNK,
      2 * UPLOAD_CHUNK + 5,
      total,
    ]);
  });

  it("the engine's refusal at the last byte (a backing file) is thrown with its reason", async () => {
    tusHost(100, {
      lastAnswer: jsonResponse(422, {
        code: 'unprocessable',
        message: 'the image names a backing file /etc/shadow',
      }),
    });
    await expect(
      sendImageBytes(image({ sizeBytes: 100 }), new Blob([new Uint8Array(100)]), () => undefined),
    ).rejects.toThrow('the image names a backing file /etc/shadow');
  });
  it('Stop (an aborted signal) ends the upload before the next chunk; what the host wrote stays', async () => {
    const host = tusHost(100);
    const stop = new AbortController();
    stop.abort(new Error('stopped'));
    await expect(
      sendImageBytes(
        image({ sizeBytes: 100 }),
        new Blob([new Uint8Array(100)]),
        () => undefined,
        stop.signal,
      ),
    ).rejects.toThrow('stopped');
    expect(host.calls).toEqual(['HEAD']);
  });
});

describe('ImagesPanel', () => {
  const sd = { id: 'sd-1', name: 'iso1', type: 'dir', status: 'active' } as StorageDomain;

  it('uploads a picked file: the image is created with its size, then the bar runs to 100 %', async () => {
    const posted: unknown[] = [];
    let offset = 0;
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string, init?: RequestInit) => {
        if (init?.method === 'POST') {
          posted.push(JSON.parse(String(init.body)));
          return jsonResponse(201, image({ status: 'uploading', sizeBytes: 5, receivedBytes: 0 }));
        }
        if (init?.method === 'HEAD')
          return new Response(null, { headers: { 'Upload-Offset': String(offset) } });
        if (init?.method === 'PATCH') {
          offset = 5;
          return new Response(null, { status: 204, headers: { 'Upload-Offset': '5' } });
        }
        return jsonResponse(200, []);
      }),
    );
    renderWithQueries(<ImagesPanel sd={sd} />);
    const input = screen.getByLabelText('Image file to upload');
    fireEvent.change(input, { target: { files: [new File(['hello'], 'tiny.iso')] } });
    await screen.findByText(/uploaded and checked/);
    expect(posted).toEqual([{ name: 'tiny.iso', kind: 'iso', sizeBytes: 5 }]);
    expect(
      screen.getByRole('progressbar', { name: 'Upload of tiny.iso' }).getAttribute('aria-valuenow'),
    ).toBe('100');
  });

  it('a delete refused because a VM holds the ISO says which VM, and the dialog stays open', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async (_url: string, init?: RequestInit) =>
        init?.method === 'DELETE'
          ? jsonResponse(409, {
              code: 'invalid_state',
              message: 'ISO tools.iso is in the CD-ROM of web1: eject it first',
              details: [{ reason: 'CD-ROM holds the ISO', ref: { type: 'vm', id: 'v1', name: 'web1' } }],
            })
          : jsonResponse(200, [image()]),
      ),
    );
    renderWithQueries(<ImagesPanel sd={sd} />);
    fireEvent.click(await screen.findByRole('button', { name: 'Delete tools.iso' }));
    const dialog = screen.getByRole('dialog', { name: 'Delete image tools.iso?' });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Delete' }));
    await waitFor(() =>
      expect(within(dialog).getByRole('alert').textContent).toContain('in the CD-ROM of web1'),
    );
    expect(within(dialog).getByRole('alert').textContent).toContain('CD-ROM holds the ISO (web1)');
  });

  it('says why a block domain has no images, and offers no upload', () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => jsonResponse(200, [])),
    );
    renderWithQueries(<ImagesPanel sd={{ ...sd, type: 'rbd' }} />);
    expect(screen.getByText('Images are kept on directory and NFS domains only.')).toBeTruthy();
    expect(screen.queryByLabelText('Image file to upload')).toBeNull();
  });
});
