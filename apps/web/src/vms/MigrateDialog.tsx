import type { Cluster, MigrateVmRequest, Task, Vm } from '@kelpie/shared-types';
import { useEffect, useId, useRef, useState } from 'react';
import { useDetail } from '../api/hooks';
import { api, ApiError, as, send } from '../api/client';
import { useApiMutation } from '../activity/useApiMutation';
import { ErrorBox } from '../components/ErrorBox';
import { fmtMib } from '../components/format';
import { Dialog } from '../dialogs/Dialog';
import { MigrationProgressView } from './MigrationProgress';
import {
  EMPTY_MIGRATION_FORM,
  migrationRequest,
  POSTCOPY_MODES,
  STORAGE_MODES,
  targetProblem,
  type MigrationForm,
} from './migrationForm';
import { useMigrationTargets } from './useMigration';
import { useCreateSchedule } from '../schedules/scheduleApi';
import { defaultWhen, scheduleTiming, type ScheduleWhen } from '../schedules/scheduleForm';
import { ScheduleWhenFields } from '../schedules/ScheduleWhenFields';
import { DialogButtons } from '../dialogs/DialogButtons';
import { NumberField, SelectField, type Option } from '../forms/fields';

type MigVm = Pick<Vm, 'id' | 'name' | 'clusterId' | 'hostId'>;

/**
 * Migrate a running VM: automatic or chosen target (hosts failing the pre-checks are disabled, with the
 * reason), policy fields (empty = cluster policy), then the live progress with a cancel button.
 */
export function MigrateDialog({ vm, onClose }: { vm: MigVm; onClose: () => void }) {
  const [task, setTask] = useState<Task | null>(null);
  return (
    <Dialog title={`Migrate ${vm.name}`} onClose={onClose} wide>
      {task ? (
        <MigrationProgressView vm={vm} taskId={task.id} onClose={onClose} />
      ) : (
        <MigrateForm vm={vm} onStarted={setTask} onClose={onClose} />
      )}
    </Dialog>
  );
}

function MigrateForm({
  vm,
  onStarted,
  onClose,
}: {
  vm: MigVm;
  onStarted: (t: Task) => void;
  onClose: () => void;
}) {
  const targets = useMigrationTargets(vm);
  const start = useApiMutation<MigrateVmRequest, Task>({
    label: () => `Migrate ${vm.name}`,
    send: (body) =>
      send(
        (c) => api.POST('/api/v1/vms/{id}/migrate', { params: { path: { id: vm.id } }, body, ...c }),
        as<Task>(),
      ),
    invalidates: ['vms', 'tasks'],
  });
  const schedule = useCreateSchedule(`Schedule migration of ${vm.name}`);
  const [later, setLater] = useState(false);
  const [when, setWhen] = useState<ScheduleWhen>(() => defaultWhen());
  const apiError = later ? schedule.error : start.error;
  const [form, setForm] = useState<MigrationForm>(EMPTY_MIGRATION_FORM);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const id = useId();
  const set = (patch: Partial<MigrationForm>) => setForm((f) => ({ ...f, ...patch }));
  const data = targets.data;
  const vmProblems = data?.vmProblems ?? [];
  const recommended = data?.targets.find((t) => t.recommended);
  const anyEligible = !!data?.targets.some((t) => t.eligible) && !vmProblems.length;
  const cluster = useDetail<Cluster>('clusters', vm.clusterId).data;
  const policy = clusterPlaceholders(cluster);
  // The dialog focused its first field while the targets loaded (Max bandwidth); once they are here the
  // target choice comes first, unless the user has already moved on.
  const targetList = useRef<HTMLUListElement>(null);
  const bandwidthId = `${id}-bandwidth`;
  useEffect(() => {
    const list = targetList.current;
    if (!list) return;
    const active = document.activeElement;
    if (active && active !== document.body && active.id !== bandwidthId) return;
    (
      list.querySelector<HTMLInputElement>('input:checked:not([disabled])') ??
      list.querySelector<HTMLInputElement>('input:not([disabled])')
    )?.focus();
  }, [data, bandwidthId]);

  const apiFieldError = (field: string) =>
    apiError instanceof ApiError ? apiError.body?.details?.find((d) => d.field === field)?.reason : undefined;

  function submit(e: React.FormEvent) {
    e.preventDefault();
    const r = migrationRequest(form);
    if (r.errors) {
      setErrors(r.errors);
      return;
    }
    if (!later) {
      setErrors({});
      start.mutate(r.body, { onSuccess: (res) => onStarted(res.body) });
      return;
    }
    const t = scheduleTiming(when);
    if (t.errors) {
      setErrors(t.errors);
      return;
    }
    setErrors({});
    schedule.mutate(
      { action: 'vm.migrate', vmId: vm.id, migrate: r.body, ...t.timing },
      { onSuccess: onClose },
    );
  }

  return (
    <form className="form form-wide" onSubmit={submit} noValidate>
      <fieldset className="fieldset">
        <legend>Target host</legend>
        {targets.isLoading && <p className="muted">Checking the hosts of the cluster…</p>}
        <ErrorBox error={targets.error} title="Pre-checks unavailable" />
        {vmProblems.length > 0 && (
          <div className="notice" role="alert">
            This VM cannot migrate now: {vmProblems.join('; ')}
          </div>
        )}
        {data && (
          <ul className="target-list" aria-label="Target hosts" ref={targetList}>
            <li>
              <label className="target">
                <input
                  type="radio"
                  name={`${id}-target`}
                  value=""
                  checked={form.target === ''}
                  disabled={!anyEligible}
                  onChange={() => set({ target: '' })}
                />
                <span>
                  <span className="strong">Automatic</span>
                  <span className="muted small target-why">
                    {recommended ? `scheduler picks ${recommended.hostName}: ` : ''}
                    {data.recommendation}
                  </span>
                </span>
              </label>
            </li>
            {data.targets.map((t) => {
              const problem = targetProblem(t, vmProblems);
              const whyId = `${id}-why-${t.hostId}`;
              return (
                <li key={t.hostId} className={problem ? 'target-disabled' : undefined}>
                  <label className="target">
                    <input
                      type="radio"
                      name={`${id}-target`}
                      value={t.hostId}
                      checked={form.target === t.hostId}
                      disabled={!!problem}
                      aria-describedby={whyId}
                      onChange={() => set({ target: t.hostId })}
                    />
                    <span>
                      <span className="strong">{t.hostName}</span>{' '}
                      {t.recommended && <span className="tag ok">recommended</span>}
                      <span className="muted small target-why" id={whyId}>
                        {problem
                          ? `Not available: ${problem}`
                          : `${t.hostStatus}${t.freeMemoryMiB !== null ? ` · ${fmtMib(t.freeMemoryMiB)} free` : ''}`}
                      </span>
                    </span>
                  </label>
                </li>
              );
            })}
            {data.targets.length === 0 && <li className="muted">No other host in the cluster.</li>}
          </ul>
        )}
      </fieldset>
      <fieldset className="fieldset">
        <legend>Policy (empty: the cluster&apos;s migration policy)</legend>
        <div className="field-row">
          <NumberField
            id={bandwidthId}
            label="Max bandwidth (MiB/s)"
            value={form.bandwidth}
            placeholder={policy.bandwidth}
            error={errors.bandwidth ?? apiFieldError('maxBandwidthMiBps')}
            onChange={(bandwidth) => set({ bandwidth })}
          />
          <NumberField
            id={`${id}-downtime`}
            label="Max downtime (ms)"
            value={form.downtime}
            placeholder={policy.downtime}
            error={errors.downtime ?? apiFieldError('maxDowntimeMs')}
            onChange={(downtime) => set({ downtime })}
          />
        </div>
        <div className="field-row">
          <SelectField
            id={`${id}-ac`}
            label="Auto-converge"
            value={form.autoConverge}
            placeholder={policy.autoConverge}
            options={ON_OFF_THROTTLE}
            onChange={(autoConverge) => set({ autoConverge })}
          />
          <SelectField
            id={`${id}-comp`}
            label="Compression"
            value={form.compressed}
            placeholder={policy.compressed}
            options={ON_OFF}
            onChange={(compressed) => set({ compressed })}
          />
        </div>
        <div className="field-row">
          <SelectField
            id={`${id}-pc`}
            label="Post-copy"
            value={form.postcopy}
            placeholder={policy.postcopy}
            options={POSTCOPY_MODES}
            onChange={(postcopy) => set({ postcopy })}
          />
          <SelectField
            id={`${id}-st`}
            label="Storage"
            value={form.storage}
            placeholder={CLUSTER_POLICY}
            options={STORAGE_MODES}
            onChange={(storage) => set({ storage })}
          />
        </div>
      </fieldset>
      <fieldset className="fieldset">
        <legend>Run</legend>
        <div className="radio-row">
          <label>
            <input type="radio" name={`${id}-later`} checked={!later} onChange={() => setLater(false)} /> Now
          </label>
          <label>
            <input type="radio" name={`${id}-later`} checked={later} onChange={() => setLater(true)} />{' '}
            Schedule…
          </label>
        </div>
      </fieldset>
      {later && (
        <ScheduleWhenFields
          legend="Schedule for"
          value={when}
          errors={{
            runAt: errors.runAt ?? apiFieldError('runAt'),
            cron: errors.cron ?? apiFieldError('cron'),
            timezone: errors.timezone ?? apiFieldError('timezone'),
          }}
          onChange={(p) => setWhen((w) => ({ ...w, ...p }))}
        />
      )}
      <ErrorBox error={apiError} />
      <DialogButtons
        submit={later ? 'Schedule migration' : 'Migrate'}
        busy={later ? schedule.isPending : start.isPending}
        busyLabel={later ? 'Scheduling…' : 'Starting…'}
        disabled={!later && !!data && !anyEligible}
        onCancel={onClose}
      />
    </form>
  );
}

/** The empty choice of every policy field: the cluster's migration policy applies (its value, once read). */
const CLUSTER_POLICY = 'cluster policy';

export function clusterPlaceholders(c: Pick<Cluster, 'migrationPolicy'> | undefined) {
  if (!c?.migrationPolicy)
    return {
      bandwidth: CLUSTER_POLICY,
      downtime: CLUSTER_POLICY,
      autoConverge: CLUSTER_POLICY,
      compressed: CLUSTER_POLICY,
      postcopy: CLUSTER_POLICY,
    };
  const m = c.migrationPolicy;
  const onOff = (b: boolean) => `cluster: ${b ? 'on' : 'off'}`;
  return {
    bandwidth: `cluster: ${m.maxBandwidthMiBps === null ? 'no limit' : m.maxBandwidthMiBps}`,
    downtime: `cluster: ${m.maxDowntimeMs}`,
    autoConverge: onOff(m.autoConverge),
    compressed: onOff(m.compressed),
    postcopy: onOff(m.postCopy),
  };
}
const ON_OFF: Option<'on' | 'off'>[] = [
  { value: 'on', label: 'on' },
  { value: 'off', label: 'off' },
];
const ON_OFF_THROTTLE: typeof ON_OFF = [
  { value: 'on', label: "on (throttle the guest's vCPUs)" },
  ON_OFF[1]!,
];
