import type { CreateScheduleRequest, ScheduleAction } from '@kelpie/shared-types';
import { useId, useState } from 'react';
import { Link } from 'react-router';
import { ApiError } from '../api/client';
import { FormDialog } from '../dialogs/FormDialog';
import { SelectField, TextField } from '../forms/fields';
import { ACTION_LABEL, defaultWhen, scheduleTiming, type ScheduleWhen } from './scheduleForm';
import { useCreateSchedule } from './scheduleApi';
import { ScheduleWhenFields } from './ScheduleWhenFields';

const FIELDS = ['action', 'name', 'snapshotPrefix', 'runAt', 'cron', 'timezone'] as const;

/** Reasons found before sending, shown at their fields the way the API's are. */
export const localErrors = (fields: Record<string, string>) =>
  new ApiError(400, {
    code: 'validation_failed',
    message: 'Check the highlighted fields.',
    details: Object.entries(fields).map(([field, reason]) => ({ field, reason })),
  });

/**
 * Plans an action on a VM or a host for later (`POST /schedules`, ADR 0039): which action, once at a
 * time or on a cron expression. The engine checks the action when it is due, as its route would.
 */
export function ScheduleDialog({
  objectName,
  target,
  actions,
  initialAction = actions[0]!,
  onClose,
}: {
  objectName: string;
  target: { vmId: string } | { hostId: string };
  actions: readonly ScheduleAction[];
  initialAction?: ScheduleAction;
  onClose: () => void;
}) {
  const id = useId();
  const [action, setAction] = useState<ScheduleAction>(initialAction);
  const [name, setName] = useState('');
  const [prefix, setPrefix] = useState(`${objectName}-auto`.slice(0, 40));
  const [when, setWhen] = useState<ScheduleWhen>(() => defaultWhen());
  const create = useCreateSchedule(`Schedule ${ACTION_LABEL[action].toLowerCase()} of ${objectName}`);
  return (
    <FormDialog
      title={`Schedule an action on ${objectName}`}
      submit="Schedule"
      fields={FIELDS}
      onClose={onClose}
      onSubmit={async () => {
        const t = scheduleTiming(when);
        if (t.errors) throw localErrors(t.errors);
        const body: CreateScheduleRequest = {
          action,
          ...target,
          ...t.timing,
          ...(name.trim() ? { name: name.trim() } : {}),
          ...(action === 'vm.snapshot' ? { snapshotPrefix: prefix } : {}),
        };
        return create.mutateAsync(body);
      }}
    >
      {(errors) => (
        <>
          {actions.length > 1 && (
            <SelectField
              id={`${id}-action`}
              label="Action"
              value={action}
              options={actions.map((a) => ({ value: a, label: ACTION_LABEL[a] }))}
              error={errors.action}
              onChange={(a) => a && setAction(a)}
            />
          )}
          {action === 'vm.migrate' && (
            <p className="muted small">
              The scheduler picks the target when it is due, with the cluster&apos;s policy.
            </p>
          )}
          {action === 'vm.snapshot' && (
            <TextField
              id={`${id}-prefix`}
              label="Snapshot name prefix"
              value={prefix}
              hint="Each snapshot is named prefix-<time of the run, UTC>."
              error={errors.snapshotPrefix}
              onChange={setPrefix}
            />
          )}
          <ScheduleWhenFields
            value={when}
            errors={errors}
            onChange={(p) => setWhen((w) => ({ ...w, ...p }))}
          />
          <TextField
            id={`${id}-name`}
            label="Name (optional)"
            value={name}
            error={errors.name}
            onChange={setName}
          />
          <p className="muted small">
            Planned actions are listed on the <Link to="/schedules">Schedules</Link> page, where they can be
            cancelled.
          </p>
        </>
      )}
    </FormDialog>
  );
}
