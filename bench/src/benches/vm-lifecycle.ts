import type { Benchmark } from '../lib/types';

/** Benchmark 1 — placeholder until VM create/start/destroy through the API exists (issue 5).
 * Plan: on one lab host, start and destroy the tiny test guest N times through the API (202 → task
 * succeeded, and `vm.status` up/down on the stream) vs the same with raw `virsh start`/`destroy`;
 * p50/p99 and ratio. Replace this file with one that has `run()`. */
export const vmLifecycle: Benchmark = {
  name: 'vm-lifecycle',
  title: '1. VM start/destroy through the API vs raw virsh',
  description:
    'Time from `POST /vms/{id}/start` (and `/stop?force`) to the task finished and the VM up (down) in libvirt, against raw `virsh start`/`destroy` of the same domain on the same lab host.',
  needs: 'VM create/start/destroy through the API (issue 5)',
};
