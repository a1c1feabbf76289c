import type { Vm } from '@kelpie/shared-types';
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { missingPermission, usePermissions } from '../auth/usePermissions';
import { ACTION_PERMISSION, availableActions, VM_ACTIONS } from './vmActions';
import { useVmActionFlow } from './useVmAction';
import { ScheduleDialog } from '../schedules/ScheduleDialog';
import { VM_SCHEDULE_ACTIONS } from '../schedules/scheduleForm';

/** A menu button offering only the actions the VM's status allows. */
export function VmActionMenu({ vm }: { vm: Vm }) {
  const [open, setOpen] = useState(false);
  const [scheduling, setScheduling] = useState(false);
  const { start, dialog } = useVmActionFlow();
  const menuId = useId();
  const buttonRef = useRef<HTMLButtonElement>(null);
  const menuRef = useRef<HTMLUListElement>(null);
  const actions = availableActions(vm);
  const held = usePermissions('vm', vm.id);
  // A VM can always be scheduled (the engine checks the action when it is due); a template cannot.
  const nothingToDo = actions.length === 0 && vm.isTemplate;

  useEffect(() => {
    if (!open) return;
    menuRef.current?.querySelector<HTMLButtonElement>('[role=menuitem]')?.focus();
    const close = (e: MouseEvent) => {
      if (!menuRef.current?.contains(e.target as Node) && e.target !== buttonRef.current) setOpen(false);
    };
    document.addEventListener('mousedown', close);
    return () => document.removeEventListener('mousedown', close);
  }, [open]);

  const onKey = (e: KeyboardEvent) => {
    const items = [...(menuRef.current?.querySelectorAll<HTMLButtonElement>('[role=menuitem]') ?? [])];
    const i = items.indexOf(document.activeElement as HTMLButtonElement);
    if (e.key === 'Escape') {
      setOpen(false);
      buttonRef.current?.focus();
    } else if (e.key === 'ArrowDown') {
      e.preventDefault();
      items[(i + 1) % items.length]?.focus();
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      items[(i - 1 + items.length) % items.length]?.focus();
    }
  };

  return (
    <div className="menu-wrap">
      <button
        ref={buttonRef}
        type="button"
        className="button"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={menuId}
        disabled={nothingToDo}
        title={nothingToDo ? `Nothing can be done while the VM is ${vm.status}` : undefined}
        onClick={() => setOpen((o) => !o)}
      >
        Actions ▾
      </button>
      {open && (
        <ul
          id={menuId}
          ref={menuRef}
          role="menu"
          aria-label={`Actions for ${vm.name}`}
          className="menu"
          onKeyDown={onKey}
        >
          {actions.map((a) => (
            <li key={a} role="none">
              <button
                type="button"
                role="menuitem"
                className={a === 'delete' || a === 'poweroff' ? 'danger' : undefined}
                disabled={!!missingPermission(held, ACTION_PERMISSION[a])}
                title={missingPermission(held, ACTION_PERMISSION[a]) ?? undefined}
                onClick={() => {
                  setOpen(false);
                  // A dialog the action opens gives focus back to where it was: the menu button.
                  buttonRef.current?.focus();
                  start(vm, a);
                }}
              >
                {VM_ACTIONS[a].label}
              </button>
            </li>
          ))}
          {!vm.isTemplate && (
            <li role="none">
              <button
                type="button"
                role="menuitem"
                onClick={() => {
                  setOpen(false);
                  buttonRef.current?.focus();
                  setScheduling(true);
                }}
              >
                Schedule…
              </button>
            </li>
          )}
        </ul>
      )}
      {dialog}
      {scheduling && (
        <ScheduleDialog
          objectName={vm.name}
          target={{ vmId: vm.id }}
          actions={VM_SCHEDULE_ACTIONS}
          initialAction={vm.status === 'up' ? 'vm.shutdown' : 'vm.start'}
          onClose={() => setScheduling(false)}
        />
      )}
    </div>
  );
}

/** The most common actions as plain buttons next to the menu. */
export function VmQuickActions({ vm }: { vm: Vm }) {
  const { start, dialog } = useVmActionFlow();
  const held = usePermissions('vm', vm.id);
  const actions = availableActions(vm).filter((a) =>
    ['start', 'resume', 'shutdown', 'cancelMigration'].includes(a),
  );
  return (
    <>
      {actions.map((a) => {
        const reason = missingPermission(held, ACTION_PERMISSION[a]);
        return (
          <button
            key={a}
            type="button"
            className="button"
            disabled={!!reason}
            title={reason ?? undefined}
            onClick={() => start(vm, a)}
          >
            {VM_ACTIONS[a].label}
          </button>
        );
      })}
      {dialog}
    </>
  );
}
