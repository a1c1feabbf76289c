import type { LogicalNetwork, VnicProfile } from '@kelpie/shared-types';
import { useId, useState } from 'react';
import { useSearchParams } from 'react-router';
import { usePage } from '../api/hooks';
import { ErrorBox } from '../components/ErrorBox';
import { ConfirmDialog } from '../dialogs/ConfirmDialog';
import { SelectField } from '../forms/fields';
import { useDeleteProfile, useProfiles } from './profileApi';
import { qosText } from './profileForm';
import { ProfileDialog } from './ProfileDialog';

function DeleteProfile({
  networkId,
  profile,
  onClose,
}: {
  networkId: string;
  profile: VnicProfile;
  onClose: () => void;
}) {
  const del = useDeleteProfile(networkId, profile);
  return (
    <ConfirmDialog
      title={`Delete vNIC profile ${profile.name}?`}
      message={<p>The engine refuses while NICs use it, naming their VMs.</p>}
      confirmLabel="Delete"
      danger
      onConfirm={() => del.mutateAsync()}
      onClose={onClose}
    />
  );
}

/** The vNIC profiles of a network (chosen here, in the address as `?networkId=`): QoS each way, the
 * default profile, create/edit/delete. */
export function VnicProfilesPage() {
  const [params, setParams] = useSearchParams();
  const { data: networks } = usePage<LogicalNetwork>('networks', {}, 500);
  const list = networks?.items ?? [];
  const networkId = params.get('networkId') ?? list[0]?.id ?? '';
  const network = list.find((n) => n.id === networkId);
  const { data: profiles, error } = useProfiles(network?.id);
  const [open, setOpen] = useState<{ what: 'new' | 'edit' | 'delete'; profile?: VnicProfile } | null>(null);
  const id = useId();
  const close = () => setOpen(null);
  return (
    <section className="page" aria-labelledby="profiles-title">
      <header className="page-head">
        <h1 id="profiles-title">vNIC profiles</h1>
        <div className="actions">
          <button
            type="button"
            className="button primary"
            disabled={!network}
            onClick={() => setOpen({ what: 'new' })}
          >
            New profile
          </button>
        </div>
      </header>
      <div className="filters">
        <SelectField
          id={`${id}-network`}
          label="Network"
          value={networkId}
          options={list.map((n) => ({ value: n.id, label: n.name }))}
          placeholder={list.length ? undefined : 'No networks'}
          onChange={(v) => setParams(v ? { networkId: v } : {}, { replace: true })}
        />
      </div>
      <ErrorBox error={error} />
      <div className="panel">
        {profiles && (
          <table className="table">
            <caption className="sr-only">vNIC profiles of {network?.name}</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Inbound</th>
                <th scope="col">Outbound</th>
                <th scope="col">Port mirroring</th>
                <th scope="col">Description</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {profiles.map((p) => (
                <tr key={p.id}>
                  <td>
                    <span className="strong">{p.name}</span>
                    {p.isDefault && <span className="muted small"> (default)</span>}
                  </td>
                  <td>{qosText(p.inbound)}</td>
                  <td>{qosText(p.outbound)}</td>
                  <td>{p.portMirroring ? 'yes' : 'no'}</td>
                  <td>{p.description}</td>
                  <td className="row-actions">
                    <button
                      type="button"
                      className="button small"
                      aria-label={`Edit ${p.name}`}
                      onClick={() => setOpen({ what: 'edit', profile: p })}
                    >
                      Edit
                    </button>
                    <button
                      type="button"
                      className="button small danger"
                      aria-label={`Delete ${p.name}`}
                      disabled={p.isDefault}
                      title={
                        p.isDefault
                          ? 'The network’s default profile stays while the network exists'
                          : undefined
                      }
                      onClick={() => setOpen({ what: 'delete', profile: p })}
                    >
                      Delete
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
      {network && (open?.what === 'new' || open?.what === 'edit') && (
        <ProfileDialog network={network} profile={open.profile} onClose={close} />
      )}
      {network && open?.what === 'delete' && open.profile && (
        <DeleteProfile networkId={network.id} profile={open.profile} onClose={close} />
      )}
    </section>
  );
}
