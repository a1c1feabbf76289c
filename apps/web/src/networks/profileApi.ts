import type { LogicalNetwork, VnicProfile } from '@kelpie/shared-types';
import { useQuery } from '@tanstack/react-query';
import { api, as, read, send } from '../api/client';
import { useApiMutation } from '../activity/useApiMutation';
import type { ProfileBody } from './profileForm';

export const profilesKey = (networkId: string) => ['networks', networkId, 'vnic-profiles'];

export function useProfiles(networkId: string | undefined) {
  return useQuery({
    queryKey: profilesKey(networkId ?? ''),
    queryFn: () =>
      read(
        api.GET('/api/v1/networks/{networkId}/vnic-profiles', {
          params: { path: { networkId: networkId! } },
        }),
        as<VnicProfile[]>(),
      ),
    enabled: !!networkId,
  });
}

/** Creates (no profile) or edits a vNIC profile of `network`. */
export function useSaveProfile(network: Pick<LogicalNetwork, 'id' | 'name'>, profileId?: string) {
  return useApiMutation<ProfileBody>({
    label: (b) => `${profileId ? 'Edit' : 'Create'} vNIC profile ${b.name} of ${network.name}`,
    send: (body) =>
      profileId
        ? send((c) =>
            api.PATCH('/api/v1/networks/{networkId}/vnic-profiles/{profileId}', {
              params: { path: { networkId: network.id, profileId } },
              body,
              ...c,
            }),
          )
        : send((c) =>
            api.POST('/api/v1/networks/{networkId}/vnic-profiles', {
              params: { path: { networkId: network.id } },
              body,
              ...c,
            }),
          ),
    invalidates: ['networks'],
  });
}

export function useDeleteProfile(networkId: string, profile: Pick<VnicProfile, 'id' | 'name'>) {
  return useApiMutation<void>({
    label: () => `Delete vNIC profile ${profile.name}`,
    send: () =>
      send((c) =>
        api.DELETE('/api/v1/networks/{networkId}/vnic-profiles/{profileId}', {
          params: { path: { networkId, profileId: profile.id } },
          ...c,
        }),
      ),
    invalidates: ['networks'],
  });
}
