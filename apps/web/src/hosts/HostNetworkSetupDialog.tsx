import type {
  BondMode,
  HostNetworkSetupRequest,
  HostNetworkView,
  LacpMode,
  Task,
} from '@kelpie/shared-types';
import { useEffect, useId, useState, type DragEvent } from 'react';
import { api, as, send } from '../api/client';
import { useApiMutation } from '../activity/useApiMutation';
import { FormDialog } from '../dialogs/FormDialog';
import { CheckboxField, NumberField, SelectField, TextField } from '../forms/fields';

const OVS_MODES: BondMode[] = ['active-backup', 'balance-slb', 'balance-tcp'];
const LINUX_MODES: BondMode[] = [
  'active-backup',
  'balance-rr',
  'balance-xor',
  '802.3ad',
  'balance-tlb',
  'balance-alb',
];

const LACP_MODES: LacpMode[] = ['off', 'active', 'passive'];
/** What a dragged network carries (its id), so a drop elsewhere on the page is not mistaken for one. */
const NETWORK_DRAG_TYPE = 'application/x-kelpie-network';

interface BondDraft {
  name: string;
  members: string[];
  mode: BondMode;
  /** Open vSwitch bonds only. */
  lacp?: LacpMode;
}

/** The request the dialog sends: every chosen network on its NIC or bond, every bond. */
export function setupRequest(
  placement: Readonly<Record<string, string>>,
  bonds: readonly BondDraft[],
  timeout: string,
): HostNetworkSetupRequest {
  return {
    attachments: Object.entries(placement)
      .filter(([, nic]) => nic)
      .map(([networkId, nic]) => ({ networkId, nic })),
    bonds: bonds.filter((b) => b.name).map((b) => ({ ...b })),
    connectivityTimeoutSeconds: Number(timeout),
  };
}

/**
 * Host network setup: which of the cluster's networks goes on which NIC or bond, the bonds and their
 * members, and the connectivity check. While the change is applied the dialog counts the seconds left
 * before the host restores its previous configuration by itself, and says what happened.
 */
export function HostNetworkSetupDialog({
  hostId,
  hostName,
  switchType,
  view,
  onClose,
}: {
  hostId: string;
  hostName: string;
  switchType: 'linux_bridge' | 'ovs';
  view: HostNetworkView;
  onClose: () => void;
}) {
  const id = useId();
  const bridgeOf = new Map(view.clusterNetworks.map((n) => [n.bridge, n.networkId]));
  const [placement, setPlacement] = useState<Record<string, string>>(() =>
    Object.fromEntries(
      view.attachments.filter((a) => bridgeOf.has(a.bridge)).map((a) => [bridgeOf.get(a.bridge)!, a.nic]),
    ),
  );
  const [bonds, setBonds] = useState<BondDraft[]>(() =>
    view.appliedBonds.map((b) => ({
      name: b.name,
      members: [...b.members],
      mode: b.mode,
      ...(b.lacp ? { lacp: b.lacp } : {}),
    })),
  );
  // Drag a network onto a NIC or bond (the select of each row stays the keyboard way to do the same).
  const [dragged, setDragged] = useState<string | null>(null);
  const [dropTarget, setDropTarget] = useState<string | null>(null);
  const dropOn = (uplink: string) => (e: DragEvent) => {
    e.preventDefault();
    const networkId = e.dataTransfer?.getData(NETWORK_DRAG_TYPE) || dragged;
    if (networkId) setPlacement((p) => ({ ...p, [networkId]: uplink }));
    setDragged(null);
    setDropTarget(null);
  };
  const dropZone = (uplink: string) => ({
    onDragOver: (e: DragEvent) => {
      if (!dragged && !e.dataTransfer?.types?.includes(NETWORK_DRAG_TYPE)) return;
      e.preventDefault();
      if (dropTarget !== uplink) setDropTarget(uplink);
    },
    onDragLeave: () => setDropTarget((t) => (t === uplink ? null : t)),
    onDrop: dropOn(uplink),
  });
  const [timeout, setTimeoutText] = useState('60');
  const [deadline, setDeadline] = useState<number | null>(null);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (deadline === null) return;
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [deadline]);
  const apply = useApiMutation<HostNetworkSetupRequest, Task>({
    label: () => `Set up the networks of ${hostName}`,
    send: (body) =>
      send(
        (c) => api.POST('/api/v1/hosts/{id}/network-setup', { params: { path: { id: hostId } }, body, ...c }),
        as<Task>(),
      ),
    invalidates: ['hosts'],
    waitTask: true,
  });
  const bondNames = bonds.map((b) => b.name).filter(Boolean);
  const members = new Set(bonds.flatMap((b) => b.members));
  const uplinks = [...view.nics.map((n) => n.name).filter((n) => !members.has(n)), ...bondNames];
  const modes = switchType === 'ovs' ? OVS_MODES : LINUX_MODES;
  const setBond = (i: number, b: Partial<BondDraft>) =>
    setBonds((all) => all.map((x, j) => (j === i ? { ...x, ...b } : x)));
  const left = deadline === null ? null : Math.max(0, Math.ceil((deadline - now) / 1000));
  return (
    <FormDialog
      title={`Network setup of ${hostName}`}
      submit="Apply"
      fields={['attachments', 'bonds', 'connectivityTimeoutSeconds']}
      wide
      onClose={onClose}
      onSubmit={async () => {
        setDeadline(Date.now() + Number(timeout) * 1000);
        setNow(Date.now());
        try {
          return await apply.mutateAsync(setupRequest(placement, bonds, timeout));
        } finally {
          setDeadline(null);
        }
      }}
    >
      {(errors) => (
        <>
          <table className="table" aria-label="Networks of the host">
            <thead>
              <tr>
                <th>Network</th>
                <th>NIC or bond</th>
              </tr>
            </thead>
            <tbody>
              {view.clusterNetworks.map((n) => (
                <tr key={n.networkId}>
                  <td>
                    <span
                      className="chip draggable"
                      draggable
                      aria-roledescription="draggable network"
                      title={`Drag ${n.name} onto a NIC or bond`}
                      onDragStart={(e) => {
                        e.dataTransfer?.setData(NETWORK_DRAG_TYPE, n.networkId);
                        if (e.dataTransfer) e.dataTransfer.effectAllowed = 'move';
                        setDragged(n.networkId);
                      }}
                      onDragEnd={() => {
                        setDragged(null);
                        setDropTarget(null);
                      }}
                    >
                      {n.name}
                    </span>{' '}
                    <span className="muted">({n.attachment})</span>
                  </td>
                  <td>
                    <SelectField
                      id={`${id}-${n.networkId}`}
                      label={`NIC of ${n.name}`}
                      value={placement[n.networkId] ?? ''}
                      placeholder="not on this host"
                      options={uplinks.map((u) => ({ value: u, label: u }))}
                      onChange={(nic) => setPlacement((p) => ({ ...p, [n.networkId]: nic }))}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <ul className="drop-zones" aria-label="NICs and bonds (drop a network here)">
            {[...uplinks, ''].map((u) => {
              const here = view.clusterNetworks.filter((n) => (placement[n.networkId] ?? '') === u);
              return (
                <li
                  key={u || '-'}
                  aria-label={u ? `Drop on ${u}` : 'Drop to take off this host'}
                  className={`drop-zone${dropTarget === u && dragged ? ' over' : ''}`}
                  {...dropZone(u)}
                >
                  <strong>{u || 'not on this host'}</strong>{' '}
                  <span className="muted">{here.map((n) => n.name).join(', ') || '—'}</span>
                </li>
              );
            })}
          </ul>
          {errors.attachments && <p className="error">{errors.attachments}</p>}
          <h3>Bonds</h3>
          {bonds.map((b, i) => (
            <fieldset key={i} className="fieldset" aria-label={`Bond ${i + 1}`}>
              <TextField
                id={`${id}-bond-${i}`}
                label="Bond name"
                value={b.name}
                onChange={(name) => setBond(i, { name })}
              />
              <SelectField
                id={`${id}-bond-${i}-mode`}
                label="Mode"
                value={b.mode}
                options={modes.map((m) => ({ value: m, label: m }))}
                onChange={(mode) => setBond(i, { mode: (mode || 'active-backup') as BondMode })}
              />
              {switchType === 'ovs' && (
                <SelectField
                  id={`${id}-bond-${i}-lacp`}
                  label="LACP"
                  value={b.lacp ?? 'off'}
                  options={LACP_MODES.map((m) => ({ value: m, label: m }))}
                  onChange={(lacp) => setBond(i, { lacp: (lacp || 'off') as LacpMode })}
                />
              )}
              {view.nics.map((nic) => (
                <CheckboxField
                  key={nic.name}
                  id={`${id}-bond-${i}-${nic.name}`}
                  label={nic.name}
                  checked={b.members.includes(nic.name)}
                  onChange={(on) =>
                    setBond(i, {
                      members: on ? [...b.members, nic.name] : b.members.filter((m) => m !== nic.name),
                    })
                  }
                />
              ))}
              <button type="button" onClick={() => setBonds((all) => all.filter((_, j) => j !== i))}>
                Remove bond
              </button>
            </fieldset>
          ))}
          {errors.bonds && <p className="error">{errors.bonds}</p>}
          <button
            type="button"
            onClick={() =>
              setBonds((all) => [...all, { name: `bond${all.length}`, members: [], mode: 'active-backup' }])
            }
          >
            Add bond
          </button>
          <NumberField
            id={`${id}-timeout`}
            label="Connectivity check (seconds)"
            value={timeout}
            error={errors.connectivityTimeoutSeconds}
            hint="The host restores its previous configuration unless the engine reaches it again within this time."
            onChange={setTimeoutText}
          />
          {left !== null && (
            <p role="status" className="notice">
              Applying on {hostName}: it rolls back by itself in {left} s unless the engine reaches it.
            </p>
          )}
        </>
      )}
    </FormDialog>
  );
}
