import type { DataCenter, MacPool, MacRange } from '@kelpie/shared-types';
import { useId, useState } from 'react';
import { Link } from 'react-router';
import { usePage } from '../api/hooks';
import { ErrorBox } from '../components/ErrorBox';
import { fmtInt } from '../components/format';
import { ProgressBar } from '../components/ProgressBar';
import { FormDialog } from '../dialogs/FormDialog';
import { FieldError, invalidProps } from '../forms/FieldError';
import { TextField } from '../forms/fields';
import { checkMacPool, MAC_POOL_FIELDS, MAX_RANGES, useMacPools, useSaveMacPool } from './macPoolApi';

/** A pool's name and ranges (add, change, remove); the engine refuses overlaps and multicast ranges
 * by the range they concern. */
function MacPoolDialog({ pool, dcName, onClose }: { pool: MacPool; dcName: string; onClose: () => void }) {
  const [name, setName] = useState(pool.name);
  const [ranges, setRanges] = useState<MacRange[]>(pool.ranges.map((r) => ({ ...r })));
  const save = useSaveMacPool(pool.datacenterId);
  const id = useId();
  const setEnd = (i: number, end: keyof MacRange) => (value: string) =>
    setRanges((rs) => rs.map((r, j) => (j === i ? { ...r, [end]: value } : r)));
  return (
    <FormDialog
      title={`MAC pool of ${dcName}`}
      submit="Save"
      fields={MAC_POOL_FIELDS}
      onSubmit={async () => {
        const body = {
          name: name.trim(),
          ranges: ranges.map((r) => ({ from: r.from.trim(), to: r.to.trim() })),
        };
        checkMacPool(body);
        await save.mutateAsync(body);
      }}
      onClose={onClose}
      wide
    >
      {(errors) => (
        <>
          <TextField id={`${id}-name`} label="Name" value={name} error={errors.name} onChange={setName} />
          <fieldset className="fieldset">
            <legend>Ranges (both ends included)</legend>
            <FieldError id={`${id}-ranges-error`} message={errors.ranges} />
            {ranges.map((r, i) => (
              <div key={i} className="mac-range">
                {(['from', 'to'] as const).map((end) => {
                  const fid = `${id}-${i}-${end}`;
                  const error = errors[`ranges.${i}.${end}`];
                  return (
                    <div key={end} className="field">
                      <label htmlFor={fid}>{`Range ${i + 1} ${end}`}</label>
                      <input
                        id={fid}
                        value={r[end]}
                        spellCheck={false}
                        onChange={(e) => setEnd(i, end)(e.target.value)}
                        {...invalidProps(fid, error)}
                      />
                      <FieldError id={`${fid}-error`} message={error} />
                    </div>
                  );
                })}
                <button
                  type="button"
                  className="button small"
                  aria-label={`Remove range ${i + 1}`}
                  disabled={ranges.length === 1}
                  onClick={() => setRanges((rs) => rs.filter((_, j) => j !== i))}
                >
                  Remove
                </button>
                <FieldError id={`${id}-${i}-error`} message={errors[`ranges.${i}`]} />
              </div>
            ))}
            <button
              type="button"
              className="button small"
              disabled={ranges.length >= MAX_RANGES}
              onClick={() => setRanges((rs) => [...rs, { from: '', to: '' }])}
            >
              Add range
            </button>
          </fieldset>
        </>
      )}
    </FormDialog>
  );
}

/** One MAC pool per datacenter: its ranges, how many addresses NICs use, and its edit. */
export function MacPoolsPage() {
  const { data } = usePage<DataCenter>('datacenters', {}, 500);
  const dcs = data?.items ?? [];
  const pools = useMacPools(dcs);
  const [editing, setEditing] = useState<{ pool: MacPool; dc: DataCenter } | null>(null);
  return (
    <section className="page" aria-labelledby="macpools-title">
      <header className="page-head">
        <h1 id="macpools-title">MAC pools</h1>
      </header>
      <p className="muted">
        Each datacenter has one pool, made with it: its VMs’ NICs get their addresses from its ranges (an
        address given by hand may be outside). Two NICs never share an address.
      </p>
      <div className="panel">
        <table className="table">
          <caption className="sr-only">MAC pools by datacenter</caption>
          <thead>
            <tr>
              <th scope="col">Datacenter</th>
              <th scope="col">Pool</th>
              <th scope="col">Ranges</th>
              <th scope="col">In use</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {dcs.map((dc, i) => {
              const q = pools[i];
              const pool = q?.data;
              return (
                <tr key={dc.id}>
                  <td>
                    <Link to={`/datacenters/${dc.id}`}>{dc.name}</Link>
                  </td>
                  <td>{pool?.name ?? (q?.error ? <ErrorBox error={q.error} /> : '…')}</td>
                  <td>
                    {pool?.ranges.map((r) => (
                      <div key={`${r.from}-${r.to}`}>
                        <code>
                          {r.from} – {r.to}
                        </code>
                      </div>
                    ))}
                  </td>
                  <td>
                    {pool && (
                      <>
                        <ProgressBar
                          value={pool.size ? (pool.used / pool.size) * 100 : 0}
                          label={`${pool.name} in use`}
                        />
                        <span className="small">
                          {fmtInt(pool.used)} of {fmtInt(pool.size)}
                        </span>
                      </>
                    )}
                  </td>
                  <td>
                    <button
                      type="button"
                      className="button small"
                      aria-label={`Edit the MAC pool of ${dc.name}`}
                      disabled={!pool}
                      onClick={() => pool && setEditing({ pool, dc })}
                    >
                      Edit
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {editing && (
        <MacPoolDialog pool={editing.pool} dcName={editing.dc.name} onClose={() => setEditing(null)} />
      )}
    </section>
  );
}
