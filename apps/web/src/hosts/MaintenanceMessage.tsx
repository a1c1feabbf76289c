/** What entering maintenance will do, counting running and stopped VMs apart: only running VMs are
 * live-migrated; stopped ones stay defined here and start elsewhere in the cluster when started. */
export function MaintenanceMessage({
  hostName,
  total,
  stopped,
}: {
  hostName: string;
  total: number | undefined;
  stopped: number | undefined;
}) {
  const known = total !== undefined && stopped !== undefined;
  const running = known ? total - stopped : undefined;
  return (
    <p>
      No new VMs will be placed on {hostName}.{' '}
      {running === undefined
        ? 'Its running VMs are live-migrated'
        : running === 0
          ? 'No VM runs on it'
          : `Its ${running} running VM${running === 1 ? ' is' : 's are'} live-migrated`}
      {running === 0 ? '' : ' to the other hosts of the cluster'}; the host enters maintenance when all have
      left.
      {!!stopped &&
        ` Its ${stopped} stopped VM${stopped === 1 ? '' : 's'} stay${stopped === 1 ? 's' : ''} defined here and start on another host of the cluster when started.`}
    </p>
  );
}
