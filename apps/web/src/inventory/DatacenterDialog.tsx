import type { DataCenter } from '@kelpie/shared-types';
import { useId, useState } from 'react';
import { useNavigate } from 'react-router';
import { FormDialog } from '../dialogs/FormDialog';
import { TextField } from '../forms/fields';
import { useSaveInventory, type DatacenterBody } from './inventoryApi';

const FIELDS = ['name', 'description'] as const;

/** New datacenter (opens its page once created) or edit of its name and description. */
export function DatacenterDialog({ dc, onClose }: { dc?: DataCenter; onClose: () => void }) {
  const [name, setName] = useState(dc?.name ?? '');
  const [description, setDescription] = useState(dc?.description ?? '');
  const save = useSaveInventory<DatacenterBody>('datacenters', dc?.id);
  const navigate = useNavigate();
  const id = useId();
  return (
    <FormDialog
      title={dc ? `Edit datacenter ${dc.name}` : 'New datacenter'}
      submit={dc ? 'Save' : 'Create datacenter'}
      fields={FIELDS}
      onSubmit={async () => {
        const res = await save.mutateAsync({ name: name.trim(), description });
        if (!dc) void navigate(`/datacenters/${(res.body as DataCenter).id}`);
      }}
      onClose={onClose}
    >
      {(errors) => (
        <>
          <TextField id={`${id}-name`} label="Name" value={name} error={errors.name} onChange={setName} />
          <TextField
            id={`${id}-description`}
            label="Description"
            value={description}
            rows={2}
            error={errors.description}
            onChange={setDescription}
          />
        </>
      )}
    </FormDialog>
  );
}
