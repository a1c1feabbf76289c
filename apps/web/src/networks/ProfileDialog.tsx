import type { LogicalNetwork, VnicProfile } from '@kelpie/shared-types';
import { useId, useState } from 'react';
import { FormDialog } from '../dialogs/FormDialog';
import { CheckboxField, NumberField, TextField } from '../forms/fields';
import { useSaveProfile } from './profileApi';
import {
  checkProfile,
  profileBody,
  profileValues,
  PROFILE_FIELDS,
  type Direction,
  type ProfileValues,
  type QosValues,
} from './profileForm';

const DIRECTIONS: { dir: Direction; legend: string }[] = [
  { dir: 'inbound', legend: 'Inbound (what the guest receives)' },
  { dir: 'outbound', legend: 'Outbound (what the guest sends)' },
];

/** A vNIC profile of a network: name and QoS each way (libvirt `<bandwidth>`; empty = unlimited). A
 * change reaches running NICs of the profile live. */
export function ProfileDialog({
  network,
  profile,
  onClose,
}: {
  network: LogicalNetwork;
  profile?: VnicProfile;
  onClose: () => void;
}) {
  const [v, setV] = useState<ProfileValues>(() => profileValues(profile));
  const setQos = (dir: Direction, k: keyof QosValues) => (value: string) =>
    setV((o) => ({ ...o, [dir]: { ...o[dir], [k]: value } }));
  const save = useSaveProfile(network, profile?.id);
  const id = useId();
  return (
    <FormDialog
      title={profile ? `Edit vNIC profile ${profile.name}` : `New vNIC profile of ${network.name}`}
      submit={profile ? 'Save' : 'Create profile'}
      fields={PROFILE_FIELDS}
      onSubmit={async () => {
        checkProfile(v);
        await save.mutateAsync(profileBody(v));
      }}
      onClose={onClose}
      wide
    >
      {(errors) => (
        <>
          <div className="form-columns">
            <TextField
              id={`${id}-name`}
              label="Name"
              value={v.name}
              error={errors.name}
              onChange={(name) => setV((o) => ({ ...o, name }))}
            />
            <TextField
              id={`${id}-description`}
              label="Description"
              value={v.description}
              error={errors.description}
              onChange={(description) => setV((o) => ({ ...o, description }))}
            />
          </div>
          <div className="form-columns">
            {DIRECTIONS.map(({ dir, legend }) => (
              <fieldset key={dir} className="fieldset">
                <legend>{legend}</legend>
                <NumberField
                  id={`${id}-${dir}-avg`}
                  label={`${dir === 'inbound' ? 'Inbound' : 'Outbound'} average (KiB/s)`}
                  value={v[dir].average}
                  placeholder="unlimited"
                  error={errors[`${dir}.averageKiBps`] ?? errors[dir]}
                  onChange={setQos(dir, 'average')}
                />
                <NumberField
                  id={`${id}-${dir}-peak`}
                  label={`${dir === 'inbound' ? 'Inbound' : 'Outbound'} peak (KiB/s)`}
                  value={v[dir].peak}
                  placeholder="none"
                  error={errors[`${dir}.peakKiBps`]}
                  onChange={setQos(dir, 'peak')}
                />
                <NumberField
                  id={`${id}-${dir}-burst`}
                  label={`${dir === 'inbound' ? 'Inbound' : 'Outbound'} burst (KiB)`}
                  value={v[dir].burst}
                  placeholder="none"
                  error={errors[`${dir}.burstKiB`]}
                  onChange={setQos(dir, 'burst')}
                />
              </fieldset>
            ))}
          </div>
          <CheckboxField
            id={`${id}-mirroring`}
            label="Port mirroring"
            checked={v.portMirroring}
            error={errors.portMirroring}
            hint="NICs on this profile receive a copy of all of the network's traffic and only listen (Open vSwitch networks)."
            onChange={(portMirroring) => setV((o) => ({ ...o, portMirroring }))}
          />
        </>
      )}
    </FormDialog>
  );
}
