/** Fence agents a host's power management may use (fence-agents' names). */
export const POWER_MANAGEMENT_TYPES = ['ipmilan'] as const;
export type PowerManagementType = (typeof POWER_MANAGEMENT_TYPES)[number];

/** GET/PUT /hosts/{id}/power-management: a host's BMC as the API shows it (never the password). */
export interface PowerManagement {
  type: PowerManagementType;
  address: string;
  port: number;
  username: string;
  /** A password is stored (encrypted); it is never returned. */
  passwordSet: boolean;
  lanplus: boolean;
  cipher: number | null;
  updatedAt: string;
}

/** PUT /hosts/{id}/power-management. Without `password` the stored one is kept. */
export interface PowerManagementInput {
  type: PowerManagementType;
  address: string;
  port?: number;
  username: string;
  password?: string;
  lanplus?: boolean;
  cipher?: number;
}

/** POST /hosts/{id}/power-management/test: the host's power as its BMC reports it. */
export interface PowerManagementTestResult {
  powerStatus: 'on' | 'off';
  detail: string;
}
