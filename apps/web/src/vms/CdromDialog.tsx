import type { Vm } from '@kelpie/shared-types';
import { useId, useState } from 'react';
import { api, send } from '../api/client';
import { useApiMutation } from '../activity/useApiMutation';
import { FormDialog } from '../dialogs/FormDialog';
import { IsoField } from '../storage/IsoField';
import { cdromText } from './bootText';

/** Puts an ISO of the datacenter's libraries in the VM's CD-ROM, or ejects it (empty choice). A
 * running VM changes its medium live; the task shows in the activity panel. */
export function CdromDialog({
  vm,
  datacenterId,
  onClose,
}: {
  vm: Pick<Vm, 'id' | 'name' | 'cdromIsoPath'>;
  datacenterId: string | undefined;
  onClose: () => void;
}) {
  const [isoId, setIsoId] = useState('');
  const id = useId();
  const change = useApiMutation<string>({
    label: (iso) => (iso ? `Change the CD-ROM of ${vm.name}` : `Eject the CD-ROM of ${vm.name}`),
    send: (iso) =>
      send((c) =>
        api.POST('/api/v1/vms/{id}/cdrom', {
          params: { path: { id: vm.id } },
          body: iso ? { isoId: iso } : { isoPath: null },
          ...c,
        }),
      ),
    invalidates: ['vms'],
    waitTask: true,
  });
  return (
    <FormDialog
      title={`CD-ROM of ${vm.name}`}
      submit={isoId ? 'Insert' : 'Eject'}
      fields={['isoId', 'isoPath']}
      onSubmit={() => change.mutateAsync(isoId)}
      onClose={onClose}
    >
      {(errors) => (
        <>
          <p className="muted">Now: {cdromText({ id: vm.id, cdromIsoPath: vm.cdromIsoPath })}</p>
          <IsoField
            id={`${id}-iso`}
            datacenterId={datacenterId}
            value={isoId}
            empty="Empty (eject)"
            error={errors.isoId ?? errors.isoPath}
            onChange={setIsoId}
          />
        </>
      )}
    </FormDialog>
  );
}
