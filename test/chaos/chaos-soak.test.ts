import { appendFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startVmLab, VmLab } from '../vm/lifecycle-support';
import { KnownIssue } from './invariants';
import { domainDiskSources } from './libvirt-view';
import { ChaosSoak } from './soak';
import { engineProcessHook, SoakServices, startSoakServices } from './soak-services';
import { soakConfig } from './soak-config';
import { ARTIFACT_DIR, renderSummary, updateDocs, writeSummary } from './summary';

/**
 * The chaos soak (docs/chaos.md): random operations through the real API mixed with random faults
 * (agent SIGKILL, libvirtd restart, guests destroyed behind Kelpie's back, a second engine coming and
 * going) on a 2-host lab, with the invariants checked against raw virsh. CI mode ≈2.5 minutes of soak;
 * `KELPIE_CHAOS_MINUTES=30` for a long run, `KELPIE_CHAOS_SEED=<n>` to replay a run's choices.
 */
const cfg = soakConfig();
const testStart = Date.now();
mkdirSync(ARTIFACT_DIR, { recursive: true });
const logFile = join(ARTIFACT_DIR, `soak-${cfg.seed}.log`);
const stamp = (line: string) => `[chaos +${((Date.now() - testStart) / 1000).toFixed(1)}s] ${line}\n`;
const log = (line: string) => {
  appendFileSync(logFile, stamp(line));
  process.stderr.write(stamp(line));
};
/** State changes of every VM, seen by the continuous check: the log file only. */
const trace = (line: string) => appendFileSync(logFile, stamp(line));

/** Findings of crash-safety slices that are not on main yet: counted and printed, not failures
 * (KELPIE_CHAOS_STRICT=1 fails on them too). Remove an entry when its slice lands. */
const NOT_YET_ON_MAIN: Record<string, string> = {};
const known: KnownIssue = (v) => {
  if (process.env.KELPIE_CHAOS_STRICT === '1') return undefined;
  return NOT_YET_ON_MAIN[v.kind];
};

const LAB = cfg.lab;
let services: SoakServices;
let L: VmLab;
let soak: ChaosSoak;

beforeAll(async () => {
  log(`seed ${cfg.seed} (replay with KELPIE_CHAOS_SEED=${cfg.seed}), mode ${cfg.mode}, log ${logFile}`);
  services = await startSoakServices(LAB, log);
  L = await startVmLab({
    ...LAB,
    hosts: 2,
    ...services.platform,
    engineEnv: {
      ...services.platform.engineEnv,
      // The garbage collector runs once, at the end (before orphans are looked for), on what is older
      // than a few seconds: by then every task has settled.
      KELPIE_GC_INTERVAL_MS: '0',
      KELPIE_GC_GRACE_MS: '5000',
    },
  });
  const { config } = L.p.engine;
  const database = services.database ?? L.p.engine.db;
  const hooks = {
    ...services.hooks,
    startEngineProcess: engineProcessHook(database, config.redisPrefix, config.redisUrl, log),
  };
  soak = new ChaosSoak(L, cfg, log, known, trace, testStart, hooks, database);
  await soak.setup();
}, 300_000);

afterAll(async () => {
  await L?.close();
  await services?.close();
});

it(
  'keeps every invariant through random operations and faults',
  async () => {
    await soak.run();
    const summary = await soak.finish();
    const file = await writeSummary(summary);
    if (cfg.writeDocs) await updateDocs(summary);
    log(`summary ${file}\n${renderSummary(summary)}`);
    // The soak really exercised the platform: operations ran and faults were injected.
    expect(summary.operations.total).toBeGreaterThan(0);
    expect(summary.faults.total).toBeGreaterThan(0);
    expect(summary.checks.continuous).toBeGreaterThan(0);
    expect(summary.violations).toEqual([]);
  },
  cfg.soakMs + 600_000,
);

/** Found by the soak: a clone of a VM whose disk runs on an external snapshot's overlay recorded no
 * disk for its copy, so deleting the clone with its disks left the copy behind (an orphan volume). */
it('records the disk of a clone taken while the source has an external snapshot; deleting the clone removes it', async () => {
  const api = (method: string, path: string, body?: unknown) =>
    L.p.engine.api(method, `/api/v1${path}`, body);
  const done = async (method: string, path: string, body?: unknown) => {
    const res = await api(method, path, body);
    expect({ path, status: res.status }).toEqual({ path, status: 202 });
    const task = await L.waitTask(res.body);
    expect({ path, status: task.status, error: task.errorMessage }).toMatchObject({ status: 'succeeded' });
    return task;
  };
  const created = await done('POST', '/vms', soak.ops.vmSpec('chaos-ext-src'));
  const sourceId = created.target!.id;
  await done('POST', `/vms/${sourceId}/snapshots`, { name: 'ext', type: 'external' });
  const clone = await done('POST', `/vms/${sourceId}/clone`, { name: 'chaos-ext-clone' });
  const cloneId = String(clone.result!.vmId);
  const cloneVm = (await api('GET', `/vms/${cloneId}`)).body;
  const labHost = soak.world.hosts.find((h) => h.id === cloneVm.hostId)!;
  const [source] = (await domainDiskSources(labHost.uri, cloneId)).filter((f) => f.endsWith('.qcow2'));
  const disks = (await api('GET', `/disks?vmId=${cloneId}`)).body.items;
  expect(disks.map((d: { volumePath: string }) => d.volumePath)).toEqual([source]);
  expect(existsSync(source)).toBe(true);

  await done('DELETE', `/vms/${cloneId}?withDisks=true`);
  expect(existsSync(source)).toBe(false);
});
