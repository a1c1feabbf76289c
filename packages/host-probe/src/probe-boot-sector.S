.code16
.globl _start
_start:
  cli
  xor %ax,%ax
  mov %ax,%ds
  mov %ax,%es
  mov %ax,%ss
  mov $0x7c00,%sp
  mov $0x3f8,%dx
  mov $'R',%al
  out %al,%dx
  mov $0x1000,%di
  mov $0x1000,%cx
  xor %eax,%eax
  rep stosl
  movl $0x2003,0x1000
  movl $0x3003,0x2000
  mov $0x3000,%di
  mov $0x83,%ebx
  mov $512,%cx
1:
  mov %ebx,(%di)
  add $0x200000,%ebx
  add $8,%di
  loop 1b
  lgdtl gdtr
  mov %cr0,%eax
  or $1,%eax
  mov %eax,%cr0
  ljmpl $0x08,$pm32
.code32
pm32:
  mov $0x10,%ax
  mov %ax,%ds
  mov %ax,%es
  mov %ax,%ss
  mov $0x3f8,%dx
  mov $'P',%al
  out %al,%dx
  mov %cr4,%eax
  or $0x20,%eax
  mov %eax,%cr4
  mov $0x1000,%eax
  mov %eax,%cr3
  mov $0xC0000080,%ecx
  rdmsr
  or $0x100,%eax
  wrmsr
  mov %cr0,%eax
  or $0x80000000,%eax
  mov %eax,%cr0
  ljmp $0x18,$lm64
.code64
lm64:
  mov $0x3f8,%dx
  mov $'L',%al
  out %al,%dx
  mov $0x7c00,%esp
  mov $pf_handler,%eax
  mov %ax,0x40e0
  movw $0x18,0x40e2
  movw $0x8E00,0x40e4
  lidt idtr
  mov $0x100000,%rdi
  mov $0x3e00000/8,%rcx
  mov $0x123456789,%rax
  rep stosq
  mov $'M',%al
  out %al,%dx
  mov 0x40000000,%eax
  mov $'X',%al
  out %al,%dx
  jmp hang
pf_handler:
  mov $0x3f8,%dx
  mov $'K',%al
  out %al,%dx
hang:
  hlt
  jmp hang
.p2align 3
gdt:
  .quad 0
  .quad 0x00CF9A000000FFFF
  .quad 0x00CF92000000FFFF
  .quad 0x00AF9A000000FFFF
gdtr:
  .word gdtr - gdt - 1
  .long gdt
idtr:
  .word 4095
  .quad 0x4000
