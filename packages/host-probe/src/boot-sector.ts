/**
 * A 512-byte x86 boot sector that proves a hypervisor can run an ordinary guest, not just start one.
 *
 * It walks the path every OS takes (real mode → protected mode → long mode with paging), fills
 * 62 MiB of guest memory and takes a page fault through its own IDT, writing one byte to the first
 * serial port (0x3f8) at each stage: R, P, L, M, then K from the fault handler. Some /dev/kvm
 * implementations (e.g. PVM) reach long mode but never finish touching memory, which is why a Linux
 * guest never prints there. Source: probe-boot-sector.S (GNU as; `ld -Ttext=0x7c00 --oformat binary`).
 */
export const PROBE_STAGES = ['R', 'P', 'L', 'M', 'K'] as const;
export type ProbeStage = (typeof PROBE_STAGES)[number];

/** What each stage byte means, for human-readable reasons. */
export const PROBE_STAGE_MEANING: Record<ProbeStage, string> = {
  R: 'ran real-mode code',
  P: 'entered protected mode',
  L: 'entered long mode with paging',
  M: 'filled 62 MiB of guest memory',
  K: 'handled a page fault through its own IDT',
};

/** Memory the probe guest needs: it fills 1 MiB..63 MiB. */
export const PROBE_GUEST_MEMORY_MIB = 80;

const MACHINE_CODE_HEX: readonly string[] = [
  // 16-bit real mode: serial "R", zero page tables, identity-map 1 GiB with 2 MiB pages, load GDT, enter protected mode
  'fa', // 7c00: cli
  '31 c0', // 7c01: xor %ax,%ax
  '8e d8', // 7c03: mov %ax,%ds
  '8e c0', // 7c05: mov %ax,%es
  '8e d0', // 7c07: mov %ax,%ss
  'bc 00 7c', // 7c09: mov $0x7c00,%sp
  'ba f8 03', // 7c0c: mov $0x3f8,%dx
  'b0 52', // 7c0f: mov $0x52,%al
  'ee', // 7c11: out %al,(%dx)
  'bf 00 10', // 7c12: mov $0x1000,%di
  'b9 00 10', // 7c15: mov $0x1000,%cx
  '66 31 c0', // 7c18: xor %eax,%eax
  '66 f3 ab', // 7c1b: rep stos %eax,%es:(%di)
  '66 c7 06 00 10 03 20 00 00', // 7c1e: movl $0x2003,0x1000
  '66 c7 06 00 20 03 30 00 00', // 7c27: movl $0x3003,0x2000
  'bf 00 30', // 7c30: mov $0x3000,%di
  '66 bb 83 00 00 00', // 7c33: mov $0x83,%ebx
  'b9 00 02', // 7c39: mov $0x200,%cx
  '66 89 1d', // 7c3c: mov %ebx,(%di)
  '66 81 c3 00 00 20 00', // 7c3f: add $0x200000,%ebx
  '83 c7 08', // 7c46: add $0x8,%di
  'e2 f1', // 7c49: loop 0x7c3c
  '66 0f 01 16 30 7d', // 7c4b: lgdtl 0x7d30
  '0f 20 c0', // 7c51: mov %cr0,%eax
  '66 83 c8 01', // 7c54: or $0x1,%eax
  '0f 22 c0', // 7c58: mov %eax,%cr0
  '66 ea 63 7c 00 00 08 00', // 7c5b: ljmpl $0x8,$0x7c63
  // 32-bit protected mode: serial "P", enable PAE, CR3, EFER.LME, paging, far jump to 64-bit
  '66 b8 10 00', // 7c63: mov $0x10,%ax
  '8e d8', // 7c67: mov %eax,%ds
  '8e c0', // 7c69: mov %eax,%es
  '8e d0', // 7c6b: mov %eax,%ss
  '66 ba f8 03', // 7c6d: mov $0x3f8,%dx
  'b0 50', // 7c71: mov $0x50,%al
  'ee', // 7c73: out %al,(%dx)
  '0f 20 e0', // 7c74: mov %cr4,%eax
  '83 c8 20', // 7c77: or $0x20,%eax
  '0f 22 e0', // 7c7a: mov %eax,%cr4
  'b8 00 10 00 00', // 7c7d: mov $0x1000,%eax
  '0f 22 d8', // 7c82: mov %eax,%cr3
  'b9 80 00 00 c0', // 7c85: mov $0xc0000080,%ecx
  '0f 32', // 7c8a: rdmsr
  '0d 00 01 00 00', // 7c8c: or $0x100,%eax
  '0f 30', // 7c91: wrmsr
  '0f 20 c0', // 7c93: mov %cr0,%eax
  '0d 00 00 00 80', // 7c96: or $0x80000000,%eax
  '0f 22 c0', // 7c9b: mov %eax,%cr0
  'ea a5 7c 00 00 18 00', // 7c9e: ljmp $0x18,$0x7ca5
  // 64-bit long mode: serial "L", install a page-fault handler, fill 62 MiB of memory, serial "M", fault on purpose; the handler prints "K"
  '66 ba f8 03', // 7ca5: mov $0x3f8,%dx
  'b0 4c', // 7ca9: mov $0x4c,%al
  'ee', // 7cab: out %al,(%dx)
  'bc 00 7c 00 00', // 7cac: mov $0x7c00,%esp
  'b8 04 7d 00 00', // 7cb1: mov $0x7d04,%eax
  '66 89 04 25 e0 40 00 00', // 7cb6: mov %ax,0x40e0
  '66 c7 04 25 e2 40 00 00 18 00', // 7cbe: movw $0x18,0x40e2
  '66 c7 04 25 e4 40 00 00 00 8e', // 7cc8: movw $0x8e00,0x40e4
  '0f 01 1c 25 36 7d 00 00', // 7cd2: lidt 0x7d36
  '48 c7 c7 00 00 10 00', // 7cda: mov $0x100000,%rdi
  '48 c7 c1 00 00 7c 00', // 7ce1: mov $0x7c0000,%rcx
  '48 b8 89 67 45 23 01 00 00 00', // 7ce8: movabs $0x123456789,%rax
  'f3 48 ab', // 7cf2: rep stos %rax,%es:(%rdi)
  'b0 4d', // 7cf5: mov $0x4d,%al
  'ee', // 7cf7: out %al,(%dx)
  '8b 04 25 00 00 00 40', // 7cf8: mov 0x40000000,%eax
  'b0 58', // 7cff: mov $0x58,%al
  'ee', // 7d01: out %al,(%dx)
  'eb 07', // 7d02: jmp 0x7d0b
  '66 ba f8 03', // 7d04: mov $0x3f8,%dx
  'b0 4b', // 7d08: mov $0x4b,%al
  'ee', // 7d0a: out %al,(%dx)
  'f4', // 7d0b: hlt
  'eb fd', // 7d0c: jmp 0x7d0b
  '66 90', // 7d0e: xchg %ax,%ax
  // 0x7d10: GDT (null, code32, data, code64)
  '00 00 00 00 00 00 00 00',
  'ff ff 00 00 00 9a cf 00',
  'ff ff 00 00 00 92 cf 00',
  'ff ff 00 00 00 9a af 00',
  // 0x7d30: GDTR (limit, base 0x7d10); 0x7d36: IDTR (limit 4095, base 0x4000)
  '1f 00 10 7d 00 00',
  'ff 0f 00 40 00 00 00 00 00 00',
];

const SECTOR_SIZE = 512;
const SIGNATURE_OFFSET = 510;

/** The boot sector: machine code, zero padding, then the 0x55 0xAA boot signature. */
export function buildProbeBootSector(): Buffer {
  const code = Buffer.from(MACHINE_CODE_HEX.join(' ').replace(/ /g, ''), 'hex');
  if (code.length > SIGNATURE_OFFSET)
    throw new Error(`probe code is ${code.length} bytes, more than ${SIGNATURE_OFFSET}`);
  const sector = Buffer.alloc(SECTOR_SIZE);
  code.copy(sector);
  sector[SIGNATURE_OFFSET] = 0x55;
  sector[SIGNATURE_OFFSET + 1] = 0xaa;
  return sector;
}

/** The stages a probe guest reached, from the bytes it wrote to its serial port. */
export function stagesReached(serialOutput: string): ProbeStage[] {
  return PROBE_STAGES.filter((stage) => serialOutput.includes(stage));
}
