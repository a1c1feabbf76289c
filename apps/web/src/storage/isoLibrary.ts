import type { StorageDomain } from '@kelpie/shared-types';
import { useQueries } from '@tanstack/react-query';
import { api, read } from '../api/client';
import { usePage } from '../api/hooks';

export interface LibraryIso {
  id: string;
  name: string;
  domainName: string;
  /** The volume on the hosts (what a VM's CD-ROM names). */
  path: string | null;
}

/** Domains whose library a VM can use: file domains the hosts serve. */
const serving = (sd: StorageDomain) =>
  ['dir', 'local', 'nfs'].includes(sd.type) && (sd.status === 'active' || sd.status === 'degraded');

/** The ready ISOs of every serving domain of a datacenter (all datacenters without one), by name;
 * nothing is read while `enabled` is false. */
export function useIsoLibrary(
  datacenterId: string | undefined,
  enabled = true,
): { isos: LibraryIso[]; loading: boolean } {
  const filter = datacenterId ? { datacenterId } : {};
  const { data } = usePage<StorageDomain>('storage-domains', filter, 200, 0, enabled);
  const domains = (data?.items ?? []).filter(serving);
  return useQueries({
    queries: domains.map((sd) => ({
      queryKey: ['storage-domains', sd.id, 'images'],
      queryFn: () =>
        read(api.GET('/api/v1/storage-domains/{id}/images', { params: { path: { id: sd.id } } })),
    })),
    combine: (results) => ({
      loading: !data || results.some((r) => r.isPending),
      isos: results
        .flatMap((r, i) =>
          (r.data ?? [])
            .filter((img) => img.kind === 'iso' && img.status === 'ready')
            .map((img) => ({ id: img.id, name: img.name, domainName: domains[i]!.name, path: img.path })),
        )
        .sort((a, b) => a.name.localeCompare(b.name)),
    }),
  });
}
