import type { ApiComponents, ApiErrorBody } from '@kelpie/shared-types';
import { useQuery } from '@tanstack/react-query';
import { api, ApiError, read, send } from '../api/client';
import { useApiMutation } from '../activity/useApiMutation';

export type StorageImage = ApiComponents['schemas']['ImageResponse'];

/** Bytes per PATCH: small enough for little to resend after a dropped connection, large enough that
 * the per-request set-up (a listener on the host) is noise. (The bar moves within a chunk.) */
export const UPLOAD_CHUNK = 4 * 1024 * 1024;
/** Dropped connections in a row an upload survives (each resumes from the offset HEAD answers). */
const RETRIES = 5;

const imagesKey = (sdId: string) => ['storage-domains', sdId, 'images'];

export function useImages(sdId: string, refetchMs = 5000) {
  return useQuery({
    queryKey: imagesKey(sdId),
    queryFn: () => read(api.GET('/api/v1/storage-domains/{id}/images', { params: { path: { id: sdId } } })),
    refetchInterval: refetchMs,
  });
}

export function useDeleteImage(sdId: string, image: Pick<StorageImage, 'id' | 'name'>) {
  return useApiMutation<void>({
    label: () => `Delete image ${image.name}`,
    send: () =>
      send((c) =>
        api.DELETE('/api/v1/storage-domains/{id}/images/{imageId}', {
          params: { path: { id: sdId, imageId: image.id } },
          ...c,
        }),
      ),
    invalidates: ['storage-domains'],
  });
}

async function failure(res: Response): Promise<ApiError> {
  const body = (await res.json().catch(() => undefined)) as ApiErrorBody | undefined;
  return new ApiError(res.status, body?.message ? body : undefined);
}

/** The headers of an XHR answer, as a Headers object (names are case-insensitive there). */
function headersOf(xhr: XMLHttpRequest): Headers {
  const h = new Headers();
  for (const line of xhr.getAllResponseHeaders().split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) h.append(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
  }
  return h;
}

/**
 * One chunk's PATCH, by XMLHttpRequest rather than fetch: only XHR reports upload progress, so the
 * bar moves within a chunk (`onSent` gets the chunk's bytes sent so far). Answers like fetch: any
 * status resolves; a dropped connection rejects with a TypeError, an abort with the signal's reason.
 */
function patchChunk(
  url: string,
  headers: Record<string, string>,
  body: Blob,
  onSent: (loaded: number) => void,
  signal?: AbortSignal,
): Promise<Response> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('PATCH', url);
    for (const [name, value] of Object.entries(headers)) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (e) => onSent(e.loaded);
    xhr.onload = () => {
      const empty = xhr.status === 204 || xhr.status === 205 || xhr.status === 304;
      resolve(new Response(empty ? null : xhr.responseText, { status: xhr.status, headers: headersOf(xhr) }));
    };
    xhr.onerror = () => reject(new TypeError('the connection to the upload dropped'));
    xhr.ontimeout = xhr.onerror;
    const abort = () => xhr.abort();
    xhr.onabort = () => reject(signal?.reason ?? new DOMException('the upload was stopped', 'AbortError'));
    xhr.onloadend = () => signal?.removeEventListener('abort', abort);
    signal?.addEventListener('abort', abort, { once: true });
    xhr.send(body);
  });
}

/** Where the upload stands on the host (tus HEAD): the offset to send from. */
async function offsetOf(url: string): Promise<number> {
  const res = await fetch(url, { method: 'HEAD', headers: { 'Tus-Resumable': '1.0.0' } });
  if (!res.ok) throw new ApiError(res.status, undefined);
  return Number(res.headers.get('Upload-Offset') ?? 0);
}

export interface UploadProgress {
  sent: number;
  total: number;
}

/**
 * Sends `file`'s bytes to an image's upload URL, tus-style: HEAD for the offset the host has, then
 * PATCH chunks from there. A dropped connection is resumed from the offset HEAD answers again (what
 * the host wrote is kept), so the same call also resumes an upload a closed page left half-way. The
 * last PATCH runs the engine's checks: its refusal (422: not the declared format, a backing file, a
 * checksum) is thrown as the API's error.
 */
export async function sendImageBytes(
  image: Pick<StorageImage, 'uploadUrl' | 'sizeBytes'>,
  file: Blob,
  onProgress: (p: UploadProgress) => void,
  signal?: AbortSignal,
): Promise<void> {
  const total = image.sizeBytes;
  if (file.size !== total)
    throw new ApiError(400, {
      code: 'validation_failed',
      message: `the file has ${file.size} bytes, the upload expects ${total}`,
    });
  let offset = await offsetOf(image.uploadUrl);
  let dropped = 0;
  onProgress({ sent: offset, total });
  while (offset < total) {
    signal?.throwIfAborted();
    const chunk = file.slice(offset, Math.min(offset + UPLOAD_CHUNK, total));
    let res: Response;
    try {
      const from = offset;
      res = await patchChunk(
        image.uploadUrl,
        {
          'Tus-Resumable': '1.0.0',
          'Upload-Offset': String(offset),
          'Content-Type': 'application/offset+octet-stream',
        },
        chunk,
        (loaded) => onProgress({ sent: from + Math.min(loaded, chunk.size), total }),
        signal,
      );
    } catch (err) {
      if (signal?.aborted || ++dropped > RETRIES) throw err;
      offset = await offsetOf(image.uploadUrl);
      continue;
    }
    // 409: the host is elsewhere than we thought (another tab, a retried chunk that did arrive).
    if (res.status === 409 && ++dropped <= RETRIES) {
      offset = await offsetOf(image.uploadUrl);
      continue;
    }
    if (!res.ok) throw await failure(res);
    dropped = 0;
    offset = Number(res.headers.get('Upload-Offset') ?? offset + chunk.size);
    onProgress({ sent: offset, total });
  }
}

/** Starts an upload of `file` into the domain (the engine answers where to send the bytes). */
export async function startImageUpload(
  sdId: string,
  file: File,
  kind: 'iso' | 'disk',
  format?: 'raw' | 'qcow2',
): Promise<StorageImage> {
  const res = await send((c) =>
    api.POST('/api/v1/storage-domains/{id}/images', {
      params: { path: { id: sdId } },
      body: { name: file.name, kind, sizeBytes: file.size, ...(kind === 'disk' ? { format } : {}) },
      ...c,
    }),
  );
  return res.body;
}
