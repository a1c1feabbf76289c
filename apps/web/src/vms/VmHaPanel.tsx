import type { Vm, VmHaEvent, VmHaState, VmHaStatus } from '@kelpie/shared-types';
import { useQuery } from '@tanstack/react-query';
import { api, as, read } from '../api/client';
import { keys } from '../api/resources';
import { ErrorBox } from '../components/ErrorBox';
import { fmtTime } from '../components/format';
import { Props } from '../components/Props';

const STATE_LABEL: Record<VmHaState, string> = {
  off: 'Off',
  protected: 'Protected',
  'awaiting-fence': 'Awaiting fence of its host',
  'restart-failed': 'Restart failed',
  down: 'Down',
};

const WHERE: Record<VmHaEvent['kind'], string> = {
  'other-host': 'on another host, after its host was fenced',
  'same-host': 'in place, after its QEMU crashed',
};

/** The VM's HA state and last restart. Asked again whenever the VM's status changes (live updates
 * move the VM, and a restart is what changes it). */
export function VmHaPanel({ vm }: { vm: Pick<Vm, 'id' | 'status' | 'hostId'> }) {
  const { data, error } = useQuery({
    queryKey: [...keys.detail('vms', vm.id), 'ha', vm.status, vm.hostId],
    queryFn: () =>
      read(api.GET('/api/v1/vms/{id}/ha', { params: { path: { id: vm.id } } }), as<VmHaStatus>()),
  });
  return (
    <section className="panel" aria-labelledby="vm-ha">
      <h2 id="vm-ha">High availability</h2>
      {error && <ErrorBox error={error} />}
      {data && (
        <Props
          rows={[
            [
              'HA state',
              <span key="s" title={data.detail}>
                <span
                  className={`tag ${data.state === 'restart-failed' || data.state === 'awaiting-fence' ? 'warn' : ''}`}
                >
                  {STATE_LABEL[data.state]}
                </span>{' '}
                {data.detail}
              </span>,
            ],
            ['Restart priority', data.highlyAvailable ? data.priority : '–'],
            ['Last restart', data.lastRestart ? restartText(data.lastRestart) : 'never'],
            ...(data.lastFailure
              ? ([['Last failed restart', restartText(data.lastFailure)]] as [string, string][])
              : []),
          ]}
        />
      )}
    </section>
  );
}

function restartText(e: VmHaEvent): string {
  return `${fmtTime(e.at)} ${WHERE[e.kind]}: ${e.message}`;
}
