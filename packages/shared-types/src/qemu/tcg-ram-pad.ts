/**
 * QEMU before 9.0 (Debian 12 ships 7.2) loses guest writes during a live migration under TCG when the
 * guest's RAM block is a multiple of 64 pages: the dirty bitmap is synced a word at a time without
 * resetting the TCG TLB, so stores through older TLB entries are never marked dirty and the target
 * resumes with stale pages (upstream fix 03bfc2188f; measured in docs/adr/0005). Any other size takes
 * the per-page path, which resets the TLB. libvirt rounds memory to whole MiB, so under TCG the RAM
 * backend is replaced on the QEMU command line by one TCG_RAM_PAD_KIB larger. Shared by the agent (VMs)
 * and the lab (test guests) so both run the same workaround.
 */
export const TCG_RAM_BACKEND_ID = 'kelpie-tcg-ram';
/** QEMU's -m granularity; any size that is not a multiple of 64 pages (256 KiB) avoids the bug. */
export const TCG_RAM_PAD_KIB = 8;

/** The QEMU arguments (for `<qemu:commandline>`) that give a TCG guest `memoryMib` + the pad of RAM. */
export function tcgRamPadArgs(memoryMib: number): string[] {
  const kib = memoryMib * 1024 + TCG_RAM_PAD_KIB;
  const backend = { 'qom-type': 'memory-backend-ram', id: TCG_RAM_BACKEND_ID, size: kib * 1024 };
  return ['-m', `${kib}k`, '-object', JSON.stringify(backend), '-machine', `memory-backend=${backend.id}`];
}
