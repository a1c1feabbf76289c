import type { Cluster } from '@kelpie/shared-types';
import { useId, useState } from 'react';
import { useNavigate } from 'react-router';
import { useDatacenterNames } from '../api/names';
import { FormDialog } from '../dialogs/FormDialog';
import { CheckboxField, NumberField, SelectField, TextField } from '../forms/fields';
import {
  clusterBody,
  clusterValues,
  CLUSTER_FIELDS,
  MIGRATION_FIELDS,
  SCHEDULING_OPTIONS,
  SWITCH_OPTIONS,
  type ClusterValues,
} from './clusterForm';
import { useSaveInventory, type ClusterBody } from './inventoryApi';

/** New cluster (in `datacenterId` when given; opens its page once created) or edit of its policies. */
export function ClusterDialog({
  cluster,
  datacenterId,
  onClose,
}: {
  cluster?: Cluster;
  datacenterId?: string;
  onClose: () => void;
}) {
  const [v, setV] = useState<ClusterValues>(() => clusterValues(cluster, datacenterId));
  const set =
    <K extends keyof ClusterValues>(k: K) =>
    (value: ClusterValues[K]) =>
      setV((o) => ({ ...o, [k]: value }));
  const save = useSaveInventory<ClusterBody>('clusters', cluster?.id);
  const dcs = useDatacenterNames();
  const navigate = useNavigate();
  const id = useId();
  return (
    <FormDialog
      title={cluster ? `Edit cluster ${cluster.name}` : 'New cluster'}
      submit={cluster ? 'Save' : 'Create cluster'}
      fields={CLUSTER_FIELDS}
      onSubmit={async () => {
        const res = await save.mutateAsync(clusterBody(v, !cluster));
        if (!cluster) void navigate(`/clusters/${(res.body as Cluster).id}`);
      }}
      onClose={onClose}
      wide
    >
      {(errors) => (
        <div className="form-columns">
          <fieldset className="fieldset">
            <legend>General</legend>
            <TextField
              id={`${id}-name`}
              label="Name"
              value={v.name}
              error={errors.name}
              onChange={set('name')}
            />
            {!cluster && (
              <SelectField
                id={`${id}-dc`}
                label="Datacenter"
                value={v.datacenterId}
                placeholder="Choose a datacenter"
                options={[...dcs].map(([value, label]) => ({ value, label }))}
                error={errors.datacenterId}
                onChange={set('datacenterId')}
              />
            )}
            <TextField
              id={`${id}-description`}
              label="Description"
              value={v.description}
              error={errors.description}
              onChange={set('description')}
            />
            <TextField
              id={`${id}-cpu`}
              label="CPU model"
              value={v.cpuModel}
              placeholder="QEMU default"
              hint="A libvirt CPU model every host can run (e.g. Skylake-Client-IBRS, or host-model); empty: QEMU's default CPU."
              error={errors.cpuModel}
              onChange={set('cpuModel')}
            />
            <SelectField
              id={`${id}-sched`}
              label="Scheduling policy"
              value={v.schedulingPolicy}
              options={SCHEDULING_OPTIONS}
              error={errors.schedulingPolicy}
              onChange={(p) => p && set('schedulingPolicy')(p)}
            />
            <SelectField
              id={`${id}-switch`}
              label="Network switch"
              value={v.switchType}
              options={SWITCH_OPTIONS}
              hint="How the hosts carry networks; hosts change over at their next network setup."
              error={errors.switchType}
              onChange={(t) => t && set('switchType')(t)}
            />
          </fieldset>
          <fieldset className="fieldset">
            <legend>Migration policy</legend>
            {MIGRATION_FIELDS.map((f) =>
              f.kind === 'check' ? (
                <CheckboxField
                  key={f.key}
                  id={`${id}-${f.key}`}
                  label={f.label}
                  checked={v[f.key]}
                  error={errors[f.api]}
                  onChange={set(f.key)}
                />
              ) : (
                <NumberField
                  key={f.key}
                  id={`${id}-${f.key}`}
                  label={f.label}
                  value={v[f.key]}
                  placeholder={f.placeholder}
                  error={errors[f.api]}
                  onChange={set(f.key)}
                />
              ),
            )}
          </fieldset>
        </div>
      )}
    </FormDialog>
  );
}
