import { DomainMigrationInfo, ErrorCode, HostStatus, VmStatus } from '@kelpie/shared-types';
import type { CommandBus } from '../agents/command-bus.service';
import type { ClusterEntity } from '../clusters/cluster.entity';
import type { ClusterRepository } from '../clusters/cluster.repository';
import { DomainError } from '../common/errors/domain-error';
import type { EngineConfig } from '../config/config.schema';
import type { HostEntity } from '../hosts/host.entity';
import type { HostRepository } from '../hosts/host.repository';
import type { VmEntity } from '../vms/vm.entity';
import type { VmRepository } from '../vms/vm.repository';
import type { SchedulingRepository } from '../scheduling/scheduling.repository';
import { SchedulingService } from '../scheduling/scheduling.service';
import { MigrationPlanner } from './migration-planner';
import type { MigrationRepository } from './migration.repository';

/** Pre-check refusals the lab cannot stage for real (no passthrough device, identical CPUs on all lab
 * hosts) and the arithmetic ones, against the planner with in-memory repositories and agents. */

const VM_ID = '0b7c9d1e-0000-4000-8000-000000000001';
const cpu = (model: string, vendor = 'Intel', arch = 'x86_64') => ({ arch, model, vendor, flags: [] });

const QEMU64 = { hostModel: true, hostPassthrough: false, custom: ['qemu64'] };

function host(
  name: string,
  o: {
    freeMiB?: number;
    cpu?: ReturnType<typeof cpu>;
    status?: HostStatus;
    cpuModes?: {
      hostModel: boolean;
      hostPassthrough: boolean;
      custom: string[];
      missingFeatures?: Record<string, string[]>;
    };
  } = {},
) {
  return {
    id: `id-${name}`,
    name,
    clusterId: 'c1',
    status: o.status ?? HostStatus.Up,
    libvirtUri: `qemu+tcp://${name}/system`,
    capabilities: {
      cpu: { ...(o.cpu ?? cpu('Skylake-Client-IBRS')), count: 4 },
      memoryKiB: 16 * 1024 * 1024,
      virtualization: 'kvm',
      cpuModes: o.cpuModes ?? QEMU64,
    },
    load: { load1: 0, memFreeKiB: (o.freeMiB ?? 8192) * 1024, memTotalKiB: 16 * 1024 * 1024, at: '' },
  } as unknown as HostEntity;
}

const domain = (o: Partial<DomainMigrationInfo> = {}): DomainMigrationInfo => ({
  uuid: VM_ID,
  state: 'running',
  hostdevs: 0,
  disks: [
    {
      target: 'vda',
      device: 'disk',
      type: 'file',
      path: '/shared/vm.qcow2',
      cache: 'none',
      readonly: false,
      shareable: false,
    },
  ],
  interfaces: [],
  memoryKiB: 1024 * 1024,
  ...o,
});

interface World {
  hosts: HostEntity[];
  cluster?: Partial<ClusterEntity>;
  info?: DomainMigrationInfo;
  /** Running incoming migrations per host id. */
  incoming?: Record<string, number>;
  targetCheckProblems?: string[];
  /** Snapshots Kelpie knows of the VM. */
  snapshots?: number;
  /** Logical networks of the VM's NICs, and the bridges each host reported. */
  networks?: { id: string; name: string; bridge: string }[];
  bridges?: Record<string, string[]>;
  /** The VM's disks on host-local storage domains. */
  localDisks?: { targetDev: string; domainName: string }[];
}

function planner(w: World) {
  const vm = {
    id: VM_ID,
    name: 'vm1',
    clusterId: 'c1',
    hostId: w.hosts[0]!.id,
    status: VmStatus.Up,
    memoryMib: 1024,
    vcpus: 1,
  } as unknown as VmEntity;
  const byId = (id: string) => w.hosts.find((h) => h.id === id) ?? null;
  const vms = { byId: jest.fn(async () => vm) } as unknown as VmRepository;
  const hosts = {
    find: jest.fn(async (id: string) => byId(id)),
    byId: jest.fn(async (id: string) => byId(id)!),
    inCluster: jest.fn(async () => w.hosts),
  } as unknown as HostRepository;
  const clusters = {
    byId: jest.fn(async () => ({ id: 'c1', cpuModel: null, migrationPolicy: {}, ...w.cluster })),
  } as unknown as ClusterRepository;
  const migrations = {
    activeIdOf: jest.fn(async () => undefined),
    activeCounts: jest.fn(async (hostId: string) => ({ outgoing: 0, incoming: w.incoming?.[hostId] ?? 0 })),
    snapshotCountOf: jest.fn(async () => w.snapshots ?? 0),
    hostLocalDisksOf: jest.fn(async () => w.localDisks ?? []),
  } as unknown as MigrationRepository;
  const config = { migrationMaxIncoming: 2, migrationMaxOutgoing: 2 } as EngineConfig;
  const send = jest.fn(async (_hostId: string, type: string) => {
    if (type === 'vm.migration-info') return w.info ?? domain();
    if (type === 'host.migration-target-check') return { problems: w.targetCheckProblems ?? [] };
    throw new Error(`unexpected command ${type}`);
  });
  const bus = { send } as unknown as CommandBus;
  const schedulingRepo = {
    cluster: jest.fn(async () => ({
      id: 'c1',
      schedulingPolicy: 'evenly_distributed',
      cpuModel: w.cluster?.cpuModel ?? null,
    })),
    loadOf: jest.fn(
      async (ids: string[]) => new Map(ids.map((id) => [id, { committedMib: 0, vmIds: [] as string[] }])),
    ),
    rulesFor: jest.fn(async () => []),
    networksOf: jest.fn(async () => w.networks ?? []),
    bridgesOf: jest.fn(
      async (ids: string[]) =>
        new Map(ids.filter((id) => w.bridges?.[id]).map((id) => [id, new Set(w.bridges![id])])),
    ),
  } as unknown as SchedulingRepository;
  const scheduling = new SchedulingService(schedulingRepo, bus);
  return { planner: new MigrationPlanner(vms, hosts, clusters, migrations, config, bus, scheduling), send };
}

async function refusal(p: Promise<unknown>): Promise<DomainError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  if (!(e instanceof DomainError)) throw new Error(`expected a DomainError, got ${String(e)}`);
  return e;
}

describe('MigrationPlanner pre-checks', () => {
  const h1 = host('h1');
  const h2 = host('h2');

  it('plans a plain migration to the requested host, asking its agent about storage and networks', async () => {
    const { planner: p, send } = planner({ hosts: [h1, h2] });
    const plan = await p.plan(VM_ID, { targetHostId: h2.id });
    expect(plan.target.name).toBe('h2');
    expect(plan.options).toMatchObject({ storage: 'shared', unsafe: true });
    expect(send).toHaveBeenCalledWith(h2.id, 'host.migration-target-check', expect.anything());
  });

  it('refuses a target that does not carry a network of the VM, naming both, before asking any host', async () => {
    const { planner: p, send } = planner({
      hosts: [h1, h2],
      networks: [{ id: 'n-blue', name: 'blue', bridge: 'br-blue' }],
      bridges: { [h1.id]: ['br0', 'br-blue'], [h2.id]: ['br0'] },
    });
    const e = await refusal(p.plan(VM_ID, { targetHostId: h2.id }));
    expect(e.code).toBe(ErrorCode.Unprocessable);
    expect(e.message).toBe('host h2 cannot receive VM vm1: host lacks bridge br-blue (network blue)');
    expect(e.details).toEqual([
      expect.objectContaining({
        field: 'targetHostId',
        ref: { type: 'network', id: 'n-blue', name: 'blue' },
      }),
    ]);
    expect(send).not.toHaveBeenCalled();
  });

  it('refuses a VM with a passthrough (hostdev) device, before asking any target', async () => {
    const { planner: p, send } = planner({ hosts: [h1, h2], info: domain({ hostdevs: 1 }) });
    const e = await refusal(p.plan(VM_ID, { targetHostId: h2.id }));
    expect(e.code).toBe(ErrorCode.Unprocessable);
    expect(e.message).toMatch(/1 host device\(s\) passed through \(hostdev\) cannot be live-migrated/);
    expect(send).not.toHaveBeenCalledWith(h2.id, 'host.migration-target-check', expect.anything());
    const targets = await p.targets(VM_ID, {});
    expect(targets.vmProblems).toEqual([expect.stringMatching(/hostdev/)]);
    expect(targets.targets.every((t) => !t.eligible)).toBe(true);
  });

  it('refuses a VM with snapshots (409 with the count) before asking any agent: libvirt would refuse it mid-task', async () => {
    const { planner: p, send } = planner({ hosts: [h1, h2], snapshots: 2 });
    const e = await refusal(p.plan(VM_ID, { targetHostId: h2.id }));
    expect(e.code).toBe(ErrorCode.InvalidState);
    expect(e.message).toMatch(
      /VM vm1 has 2 snapshot\(s\): libvirt cannot live-migrate a domain with snapshots/,
    );
    expect(e.details).toEqual([{ reason: '2 snapshot(s)', ref: { type: 'vm', id: VM_ID, name: 'vm1' } }]);
    expect(send).not.toHaveBeenCalled();
  });

  it('refuses a shared-storage migration of a disk on a host-local domain, and allows copying it', async () => {
    const localDisks = [{ targetDev: 'vdb', domainName: 'local-h1' }];
    const { planner: p } = planner({ hosts: [h1, h2], localDisks });
    const e = await refusal(p.plan(VM_ID, { targetHostId: h2.id }));
    expect(e.code).toBe(ErrorCode.Unprocessable);
    expect(e.message).toMatch(/disk vdb is on host-local storage domain local-h1: .*storage: copy-all/);
    expect((await p.targets(VM_ID, {})).targets.every((t) => !t.eligible)).toBe(true);
    const copied = await p.plan(VM_ID, { targetHostId: h2.id, storage: 'copy-all' });
    expect(copied.target.name).toBe('h2');
  });

  it('refuses a CPU model or vendor mismatch when the cluster has no common CPU model', async () => {
    const amd = host('h2', { cpu: cpu('EPYC-Rome', 'AMD') });
    const e = await refusal(planner({ hosts: [h1, amd] }).planner.plan(VM_ID, { targetHostId: amd.id }));
    expect(e.code).toBe(ErrorCode.Unprocessable);
    expect(e.message).toMatch(
      /CPU AMD EPYC-Rome differs from the source's Intel Skylake-Client-IBRS and the cluster has no common CPU model/,
    );
    expect(e.details).toEqual([{ field: 'targetHostId', reason: expect.stringMatching(/CPU/) }]);
    // With a cluster CPU model the guest sees that model on every host: the move is allowed.
    const ok = planner({ hosts: [h1, amd], cluster: { cpuModel: 'qemu64' } });
    expect((await ok.planner.plan(VM_ID, { targetHostId: amd.id })).target.name).toBe('h2');
  });

  it('refuses a target the cluster CPU model cannot run on with 409, naming every missing feature', async () => {
    const features = Array.from({ length: 15 }, (_, i) => `feat${i}`);
    const tcg = host('h2', {
      cpuModes: { ...QEMU64, missingFeatures: { 'Skylake-Server': features } },
    });
    const { planner: p } = planner({ hosts: [h1, tcg], cluster: { cpuModel: 'Skylake-Server' } });
    const e = await refusal(p.plan(VM_ID, { targetHostId: tcg.id }));
    expect(e.code).toBe(ErrorCode.InvalidState);
    expect(e.message).toMatch(
      /^host h2 cannot receive VM vm1: CPU model Skylake-Server is not usable on this host/,
    );
    expect(e.details).toEqual([
      {
        field: 'targetHostId',
        reason: expect.stringMatching(/lacks feat0, .*feat11 and 3 more/),
        ref: { type: 'host', id: tcg.id, name: 'h2' },
      },
      { field: 'targetHostId', reason: `missing CPU features: ${features.join(', ')}` },
    ]);
    // A model the host can run is no conflict.
    const ok = planner({ hosts: [h1, tcg], cluster: { cpuModel: 'qemu64' } });
    expect((await ok.planner.plan(VM_ID, { targetHostId: tcg.id })).target.name).toBe('h2');
  });

  it('refuses a different CPU architecture even with a cluster CPU model', async () => {
    const arm = host('h2', { cpu: cpu('cortex-a72', 'ARM', 'aarch64') });
    const e = await refusal(
      planner({ hosts: [h1, arm], cluster: { cpuModel: 'qemu64' } }).planner.plan(VM_ID, {
        targetHostId: arm.id,
      }),
    );
    expect(e.message).toMatch(/CPU architecture aarch64 differs from the source's x86_64/);
  });

  it('refuses an unsafe disk cache on shared storage unless allowed; copy modes do not care', async () => {
    const info = domain({
      disks: [{ ...domain().disks[0]!, cache: 'writeback' }],
    });
    const w = { hosts: [h1, h2], info };
    const e = await refusal(planner(w).planner.plan(VM_ID, { targetHostId: h2.id }));
    expect(e.code).toBe(ErrorCode.Unprocessable);
    expect(e.message).toMatch(/disk vda uses cache=writeback: .* needs none or directsync/);
    const allowed = await planner(w).planner.plan(VM_ID, { targetHostId: h2.id, allowUnsafeCache: true });
    expect(allowed.options.unsafe).toBe(true);
    const copy = await planner(w).planner.plan(VM_ID, { targetHostId: h2.id, storage: 'copy-all' });
    expect(copy.options).toMatchObject({ storage: 'copy-all', unsafe: false });
    // No cache attribute at all is the hypervisor default (writeback for QEMU): also unsafe.
    const noCache = domain({ disks: [{ ...domain().disks[0]!, cache: null }] });
    const e2 = await refusal(planner({ hosts: [h1, h2], info: noCache }).planner.plan(VM_ID, {}));
    expect(e2.message).toMatch(/cache=default/);
  });

  it('refuses a target already receiving the configured number of migrations', async () => {
    const { planner: p } = planner({ hosts: [h1, h2], incoming: { [h2.id]: 2 } });
    const e = await refusal(p.plan(VM_ID, { targetHostId: h2.id }));
    expect(e.message).toMatch(/already receiving 2 migration\(s\) \(limit 2\)/);
    // One below the limit is fine.
    const below = planner({ hosts: [h1, h2], incoming: { [h2.id]: 1 } });
    expect((await below.planner.plan(VM_ID, { targetHostId: h2.id })).target.name).toBe('h2');
  });

  it('refuses a target without enough free memory (VM memory plus margin)', async () => {
    const small = host('h2', { freeMiB: 1024 });
    const e = await refusal(planner({ hosts: [h1, small] }).planner.plan(VM_ID, { targetHostId: small.id }));
    expect(e.message).toMatch(/not enough free memory \(1024 MiB free, needs 1088 MiB\)/);
  });

  it('without a target, skips hosts that fail and names each rejection when none is left', async () => {
    const small = host('h2', { freeMiB: 512 });
    const busy = host('h3');
    const maint = host('h4', { status: HostStatus.Maintenance });
    const w = { hosts: [h1, small, busy, maint], incoming: { [busy.id]: 2 } };
    const e = await refusal(planner(w).planner.plan(VM_ID, {}));
    expect(e.message).toMatch(/no host can receive VM vm1: /);
    expect(e.message).toMatch(/h2: not enough free memory/);
    expect(e.message).toMatch(/h3: already receiving 2/);
    expect(e.message).toMatch(/h4: host is in maintenance: it cannot receive VMs/);
    const fine = host('h5');
    const plan = await planner({ ...w, hosts: [...w.hosts, fine] }).planner.plan(VM_ID, {});
    expect(plan.target.name).toBe('h5');
    expect(plan.targetReason).toMatch(
      /scheduler chose h5: least committed memory .* \(the only fitting host\)/,
    );
  });

  it("passes the target agent's storage and network problems through", async () => {
    const { planner: p } = planner({
      hosts: [h1, h2],
      targetCheckProblems: ['disk /shared/vm.qcow2 is not visible on this host (storage not shared?)'],
    });
    const e = await refusal(p.plan(VM_ID, { targetHostId: h2.id }));
    expect(e.message).toMatch(/host h2 cannot receive VM vm1: disk \/shared\/vm.qcow2 is not visible/);
  });
});
