import { findOrphans, HostListing, KnownObjects } from './find-orphans';

const NOW = Date.parse('2026-01-01T12:00:00Z');
const HOUR = 3_600_000;
const ago = (ms: number) => new Date(NOW - ms).toISOString();
const A = '11111111-1111-4111-8111-111111111111';
const B = '22222222-2222-4222-8222-222222222222';
const C = '33333333-3333-4333-8333-333333333333';
const D = '44444444-4444-4444-8444-444444444444';

const vol = (id: string, changedAgo: number, dir = '/sd') => ({
  path: `${dir}/${id}.qcow2`,
  dir,
  name: `${id}.qcow2`,
  sizeBytes: 10,
  changedAt: ago(changedAgo),
});
const none = (): KnownObjects => ({
  diskIds: new Set(),
  diskPaths: new Set(),
  vmIds: new Set(),
  runningElsewhere: new Map(),
});
const run = (listing: HostListing, known = none()) =>
  findOrphans(listing, known, { now: NOW, graceMs: HOUR, firstSeen: () => NOW });

describe('findOrphans', () => {
  it('finds unknown volumes and marks only those past the grace period due', () => {
    const r = run({ volumes: [vol(A, 2 * HOUR), vol(B, 60_000)], domains: [], diskSources: [] });
    expect(r.volumes.map((v) => [v.name, v.due])).toEqual([
      [`${A}.qcow2`, true],
      [`${B}.qcow2`, false],
    ]);
    expect(r.volumes[0].ageSeconds).toBe(7200);
  });

  it('takes the snapshot overlays of a deleted disk, never those of a disk that still exists', () => {
    const overlay = (disk: string, snap: string) => ({
      ...vol(disk, 2 * HOUR),
      path: `/sd/${disk}.${snap}`,
      name: `${disk}.${snap}`,
    });
    const r = run(
      {
        volumes: [
          overlay(A, C),
          overlay(B, D),
          { ...vol(D, 2 * HOUR), name: `${D}.txt`, path: `/sd/${D}.txt` },
        ],
        domains: [],
        diskSources: [],
      },
      { ...none(), diskIds: new Set([B]) },
    );
    expect(r.volumes.map((v) => [v.name, v.due])).toEqual([[`${A}.${C}`, true]]);
  });

  it('never takes a volume a disk knows by id or path, or one a domain uses', () => {
    const known = { ...none(), diskIds: new Set([A]), diskPaths: new Set([`/sd/${B}.qcow2`]) };
    const r = run(
      {
        volumes: [vol(A, 2 * HOUR), vol(B, 2 * HOUR), vol(C, 2 * HOUR)],
        domains: [],
        diskSources: [`/sd/${C}.qcow2`],
      },
      known,
    );
    expect(r.volumes).toEqual([]);
  });

  it('takes stopped Kelpie domains with no VM, never a running one', () => {
    const r = run(
      {
        volumes: [],
        domains: [
          { uuid: A, name: 'old', active: false, definedAt: ago(2 * HOUR) },
          { uuid: B, name: 'run', active: true, definedAt: ago(2 * HOUR) },
          { uuid: C, name: 'young', active: false, definedAt: ago(1000) },
          { uuid: D, name: 'known', active: false, definedAt: ago(2 * HOUR) },
        ],
        diskSources: [],
      },
      { ...none(), vmIds: new Set([D]) },
    );
    expect(r.domains.map((d) => [d.name, d.due, d.keptBecause ?? null])).toEqual([
      ['old', true, null],
      ['run', false, 'it is running: stop it or adopt it by hand'],
      ['young', false, null],
    ]);
  });

  it('ages a domain from when it was first seen orphaned when the host cannot tell', () => {
    const r = findOrphans(
      { volumes: [], domains: [{ uuid: A, name: 'x', active: false, definedAt: null }], diskSources: [] },
      none(),
      { now: NOW, graceMs: HOUR, firstSeen: () => NOW - 2 * HOUR },
    );
    expect(r.domains[0].due).toBe(true);
  });

  it('takes a stopped copy of a VM that runs on another host (never a running one, never the VM elsewhere stopped)', () => {
    const dom = (uuid: string, active: boolean) => ({
      uuid,
      name: `vm-${uuid[0]}`,
      active,
      definedAt: ago(2 * HOUR),
    });
    const known = {
      ...none(),
      vmIds: new Set([A, B, C]),
      runningElsewhere: new Map([
        [A, 'kvm2'],
        [B, 'kvm3'],
      ]),
    };
    const r = run(
      { volumes: [], domains: [dom(A, false), dom(B, true), dom(C, false)], diskSources: [] },
      known,
    );
    expect(r.domains.map((d) => [d.uuid, d.due, d.runsOn])).toEqual([
      [A, true, 'kvm2'],
      [B, false, 'kvm3'],
    ]);
  });
});
