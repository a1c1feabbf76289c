import type { HealthReport } from '@kelpie/shared-types';
import { useQuery } from '@tanstack/react-query';
import { apiGet } from '../api/client';

export function useHealth() {
  return useQuery({
    queryKey: ['health'],
    queryFn: () => apiGet<HealthReport>('/health'),
    refetchInterval: 10_000,
  });
}
