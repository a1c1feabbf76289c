import type { HealthReport } from '@kelpie/shared-types';
import { useQuery } from '@tanstack/react-query';
import { api, as, read } from '../api/client';

export function useHealth() {
  return useQuery({
    queryKey: ['health'],
    queryFn: () => read(api.GET('/api/v1/health'), as<HealthReport>(), { dataOn503: true }),
    refetchInterval: 10_000,
  });
}
