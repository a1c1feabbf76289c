import type { Cluster } from '@kelpie/shared-types';
import { useId } from 'react';
import { useNavigate } from 'react-router';
import { GeneralFields } from './GeneralFields';
import { useFormValues } from '../forms/useFormValues';
import { FormDialog } from '../dialogs/FormDialog';
import { CheckboxField, NumberField, SelectField, TextField } from '../forms/fields';
import {
  clusterBody,
  clusterValues,
  CLUSTER_FIELDS,
  MIGRATION_FIELDS,
  SCHEDULING_OPTIONS,
  SWITCH_OPTIONS,
  THRESHOLD_FIELDS,
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
  const [v, set] = useFormValues<ClusterValues>(() => clusterValues(cluster, datacenterId));
  const save = useSaveInventory<ClusterBody>('clusters', cluster?.id);
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
          <GeneralFields id={id} v={v} errors={errors} creating={!cluster} set={set}>
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
          </GeneralFields>
          <fieldset className="fieldset">
            <legend>Balancing</legend>
            <CheckboxField
              id={`${id}-balancing`}
              label="Balance periodically (live-migrate VMs to keep the hosts within these thresholds)"
              checked={v.balancingEnabled}
              error={errors.balancingEnabled}
              onChange={set('balancingEnabled')}
            />
            {THRESHOLD_FIELDS[v.schedulingPolicy].map((f) => (
              <NumberField
                key={f.key}
                id={`${id}-${f.key}`}
                label={f.label}
                value={v[f.key]}
                error={errors[f.api]}
                onChange={set(f.key)}
              />
            ))}
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
