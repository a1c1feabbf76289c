import type { StorageDomain } from '@kelpie/shared-types';
import { useQueryClient } from '@tanstack/react-query';
import { useId, useRef, useState } from 'react';
import { ErrorBox } from '../components/ErrorBox';
import { fmtBytes, fmtTime } from '../components/format';
import { ProgressBar } from '../components/ProgressBar';
import { StatusBadge } from '../components/StatusBadge';
import { ConfirmDialog } from '../dialogs/ConfirmDialog';
import {
  sendImageBytes,
  startImageUpload,
  useDeleteImage,
  useImages,
  type StorageImage,
  type UploadProgress,
} from './imagesApi';

/** Images go only to file domains the hosts serve (the engine says 409 otherwise; said here first). */
const FILE_TYPES: readonly StorageDomain['type'][] = ['dir', 'local', 'nfs'];

function DeleteImage({ sdId, image, onClose }: { sdId: string; image: StorageImage; onClose: () => void }) {
  const del = useDeleteImage(sdId, image);
  return (
    <ConfirmDialog
      title={`Delete image ${image.name}?`}
      message={<p>The file is removed from the domain on its hosts. A VM whose CD-ROM holds it keeps it.</p>}
      confirmLabel="Delete"
      danger
      onConfirm={() => del.mutateAsync()}
      onClose={onClose}
    />
  );
}

interface Upload {
  name: string;
  progress: UploadProgress;
  error: unknown;
  done: boolean;
}

/** The upload control: a file picker (ISO, or a raw/qcow2 disk image) and the running upload's bar. A
 * `resume` image continues where the host stopped (same file picked again). */
function Uploader({
  sd,
  resume,
  onResumed,
}: {
  sd: StorageDomain;
  resume: StorageImage | null;
  onResumed: () => void;
}) {
  const qc = useQueryClient();
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [kind, setKind] = useState<'iso' | 'raw' | 'qcow2'>('iso');
  const [upload, setUpload] = useState<Upload | null>(null);
  const busy = !!upload && !upload.done && !upload.error;
  const stopper = useRef<AbortController | null>(null);
  const run = async (file: File) => {
    stopper.current = new AbortController();
    setUpload({ name: file.name, progress: { sent: 0, total: file.size }, error: null, done: false });
    const progress = (p: UploadProgress) => setUpload((u) => u && { ...u, progress: p });
    try {
      const image =
        resume && resume.name === file.name
          ? resume
          : await startImageUpload(
              sd.id,
              file,
              kind === 'iso' ? 'iso' : 'disk',
              kind === 'iso' ? undefined : kind,
            );
      void qc.invalidateQueries({ queryKey: ['storage-domains', sd.id, 'images'] });
      await sendImageBytes(image, file, progress, stopper.current.signal);
      setUpload((u) => u && { ...u, done: true });
    } catch (error) {
      setUpload((u) => u && { ...u, error });
    } finally {
      onResumed();
      void qc.invalidateQueries({ queryKey: ['storage-domains', sd.id, 'images'] });
    }
  };
  const pct = upload
    ? upload.progress.total
      ? (upload.progress.sent / upload.progress.total) * 100
      : 100
    : 0;
  return (
    <div className="upload">
      <div className="actions">
        <label htmlFor={`${id}-kind`}>Upload as</label>
        <select
          id={`${id}-kind`}
          value={kind}
          disabled={busy}
          onChange={(e) => setKind(e.target.value as typeof kind)}
        >
          <option value="iso">ISO (CD/DVD image)</option>
          <option value="raw">Disk image, raw</option>
          <option value="qcow2">Disk image, qcow2</option>
        </select>
        <input
          ref={input}
          id={`${id}-file`}
          type="file"
          className="sr-only"
          tabIndex={-1}
          accept={kind === 'iso' ? '.iso,application/x-iso9660-image' : undefined}
          disabled={busy}
          aria-label={resume ? `File to resume ${resume.name} with` : 'Image file to upload'}
          onChange={(e) => {
            const file = e.target.files?.[0];
            e.target.value = '';
            if (file) void run(file);
          }}
        />
        <button
          type="button"
          className="button primary small"
          disabled={busy}
          onClick={() => input.current?.click()}
        >
          {resume ? `Resume ${resume.name}…` : 'Upload…'}
        </button>
        {busy && (
          <button
            type="button"
            className="button small"
            title="What the host has written stays: Resume goes on from there"
            onClick={() => stopper.current?.abort(new Error('stopped; Resume goes on where it stopped'))}
          >
            Stop
          </button>
        )}
      </div>
      {upload && (
        <div className="upload-progress" aria-live="polite">
          <ProgressBar value={pct} label={`Upload of ${upload.name}`} />
          <span className="small">
            {upload.name}: {fmtBytes(upload.progress.sent)} of {fmtBytes(upload.progress.total)}
            {upload.done
              ? ' · uploaded and checked'
              : upload.error
                ? ' · stopped'
                : ` · ${Math.floor(pct)} %`}
          </span>
          <ErrorBox error={upload.error} title={`Upload of ${upload.name}`} />
        </div>
      )}
    </div>
  );
}

/** A storage domain's images (ISO library and disk images): list, upload with progress (resumable),
 * delete (refused while a VM's CD-ROM holds the ISO, naming the VM). */
export function ImagesPanel({ sd }: { sd: StorageDomain }) {
  const { data, error } = useImages(sd.id);
  const [deleting, setDeleting] = useState<StorageImage | null>(null);
  const [resume, setResume] = useState<StorageImage | null>(null);
  const usable = FILE_TYPES.includes(sd.type);
  return (
    <div className="images-panel">
      {!usable && <p className="notice">Images are kept on directory and NFS domains only.</p>}
      {usable && sd.status !== 'active' && sd.status !== 'degraded' && (
        <p className="notice">Uploads need the domain active on its hosts (it is {sd.status}).</p>
      )}
      {usable && <Uploader sd={sd} resume={resume} onResumed={() => setResume(null)} />}
      <ErrorBox error={error} />
      {data && data.length === 0 && <p className="muted">No images on this domain yet.</p>}
      {data && data.length > 0 && (
        <table className="table">
          <caption className="sr-only">Images of {sd.name}</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Kind</th>
              <th scope="col">Status</th>
              <th scope="col">Size</th>
              <th scope="col">Uploaded</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {data.map((i) => (
              <tr key={i.id}>
                <td>{i.name}</td>
                <td>{i.kind === 'iso' ? 'ISO' : `disk (${i.format})`}</td>
                <td>
                  {i.status === 'uploading' ? (
                    <ProgressBar value={(i.receivedBytes / i.sizeBytes) * 100} label={`${i.name} received`} />
                  ) : (
                    <StatusBadge status={i.status} />
                  )}
                </td>
                <td>{fmtBytes(i.sizeBytes)}</td>
                <td>{fmtTime(i.createdAt)}</td>
                <td className="row-actions">
                  {i.status === 'uploading' && (
                    <button
                      type="button"
                      className="button small"
                      aria-label={`Resume ${i.name}`}
                      onClick={() => setResume(i)}
                    >
                      Resume
                    </button>
                  )}
                  <button
                    type="button"
                    className="button small danger"
                    aria-label={`Delete ${i.name}`}
                    onClick={() => setDeleting(i)}
                  >
                    Delete
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {deleting && <DeleteImage sdId={sd.id} image={deleting} onClose={() => setDeleting(null)} />}
    </div>
  );
}
