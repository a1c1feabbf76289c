import { SelectField } from '../forms/fields';
import { useIsoLibrary } from './isoLibrary';

/** An ISO picked from the datacenter's libraries, by id (never a free path). `empty` names the choice
 * of none (e.g. "Empty (eject)"); without it the first option asks to choose. */
export function IsoField({
  id,
  datacenterId,
  value,
  error,
  empty,
  onChange,
}: {
  id: string;
  datacenterId: string | undefined;
  value: string;
  error?: string;
  empty?: string;
  onChange: (isoId: string) => void;
}) {
  const { isos, loading } = useIsoLibrary(datacenterId);
  const none = loading
    ? 'Loading the ISO libraries…'
    : isos.length
      ? 'Choose an ISO'
      : 'No ISO in the libraries';
  return (
    <SelectField
      id={id}
      label="ISO image"
      value={value}
      placeholder={empty ?? none}
      options={isos.map((i) => ({ value: i.id, label: `${i.name} (${i.domainName})` }))}
      hint="Upload ISOs on a storage domain's Images tab."
      error={error}
      onChange={onChange}
    />
  );
}
