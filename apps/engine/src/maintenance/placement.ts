/** Where new VMs may go: hosts that are Up — never one preparing for or in maintenance. The VM
 * scheduler (start/create placement) and the migration scheduler both use this one rule. */
export { acceptsNewVms } from '../vm-migration/migration-scheduler';
