import type { Cluster, LogicalNetwork } from '@kelpie/shared-types';
import { useId } from 'react';
import { useFormValues } from '../forms/useFormValues';
import { FormDialog } from '../dialogs/FormDialog';
import { CheckboxField, NumberField, SelectField, TextField } from '../forms/fields';
import { GeneralFields } from '../inventory/GeneralFields';
import { useAttachToClusters, useSaveNetwork } from './networkApi';
import { checkNetwork, networkBody, networkValues, NETWORK_FIELDS, type NetworkValues } from './networkForm';

const ATTACH_OPTIONS = [
  { value: 'required', label: 'Required by every cluster (a host without it is not operational)' },
  { value: 'optional', label: 'Optional on every cluster' },
] as const;

/**
 * A new logical network (optionally attached at once to every cluster of its datacenter) or the edit
 * of one: bridge, VLAN tag, MTU, VM network. Hosts apply a change at their next network setup.
 */
export function NetworkDialog({
  network,
  clusters,
  onClose,
}: {
  network?: LogicalNetwork;
  clusters: readonly Cluster[];
  onClose: () => void;
}) {
  const [v, set] = useFormValues<NetworkValues>(() => networkValues(network));
  const save = useSaveNetwork(network?.id);
  const attach = useAttachToClusters();
  const id = useId();
  const mine = clusters.filter((c) => c.datacenterId === v.datacenterId);
  return (
    <FormDialog
      title={network ? `Edit network ${network.name}` : 'New logical network'}
      submit={network ? 'Save' : 'Create network'}
      fields={NETWORK_FIELDS}
      onSubmit={async () => {
        checkNetwork(v, !network);
        const res = await save.mutateAsync(networkBody(v, !network));
        if (!network && v.attachAs && mine.length)
          await attach.mutateAsync({
            network: res.body,
            clusterIds: mine.map((c) => c.id),
            attachment: v.attachAs,
          });
      }}
      onClose={onClose}
      wide
    >
      {(errors) => (
        <div className="form-columns">
          <GeneralFields id={id} v={v} errors={errors} creating={!network} set={set}>
            {!network && (
              <SelectField
                id={`${id}-attach`}
                label="Clusters of the datacenter"
                value={v.attachAs}
                placeholder="Not attached (attach later)"
                options={ATTACH_OPTIONS}
                hint={v.datacenterId ? `${mine.length} cluster(s)` : undefined}
                onChange={set('attachAs')}
              />
            )}
          </GeneralFields>
          <fieldset className="fieldset">
            <legend>On the hosts</legend>
            <TextField
              id={`${id}-bridge`}
              label="Bridge"
              value={v.bridge}
              placeholder="br-prod"
              hint="The bridge (or OVS port) each host carries the network on: up to 15 characters."
              error={errors.bridge}
              onChange={set('bridge')}
            />
            <NumberField
              id={`${id}-vlan`}
              label="VLAN id"
              value={v.vlanId}
              placeholder="untagged"
              hint="1–4094; empty for an untagged network."
              error={errors.vlanId}
              onChange={set('vlanId')}
            />
            <NumberField
              id={`${id}-mtu`}
              label="MTU"
              value={v.mtu}
              error={errors.mtu}
              onChange={set('mtu')}
            />
            <CheckboxField
              id={`${id}-vm`}
              label="VM network (VM NICs may use it)"
              checked={v.vmNetwork}
              error={errors.vmNetwork}
              onChange={set('vmNetwork')}
            />
          </fieldset>
        </div>
      )}
    </FormDialog>
  );
}
