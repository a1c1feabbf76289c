import { useDatacenterNames } from '../api/names';
import { SelectField } from '../forms/fields';

/** The datacenter a new object (cluster, storage domain, network) goes to, chosen by name. */
export function DatacenterField({
  id,
  value,
  error,
  onChange,
}: {
  id: string;
  value: string;
  error?: string;
  onChange: (datacenterId: string) => void;
}) {
  const dcs = useDatacenterNames();
  return (
    <SelectField
      id={id}
      label="Datacenter"
      value={value}
      placeholder="Choose a datacenter"
      options={[...dcs].map(([value, label]) => ({ value, label }))}
      error={error}
      onChange={onChange}
    />
  );
}
