import type { Vm } from '@kelpie/shared-types';
import { usePage } from '../api/hooks';
import { fmtMib } from '../components/format';
import { FieldError, invalidProps } from '../forms/FieldError';

/** Templates (VMs with `isTemplate`) of a cluster. */
export function useTemplates(clusterId: string) {
  return usePage<Vm>('vms', { isTemplate: true, clusterId }, 500, 0, !!clusterId);
}

interface Props {
  templates: Vm[] | undefined;
  templateId: string;
  cloneMode: string;
  onChange(patch: { templateId?: string; cloneMode?: string }): void;
  errors: Record<string, string>;
}

/** Boot source "template": which template and how its disks are copied. CPU, memory, disks and
 * NICs all come from the template, so the wizard hides its own fields for them. */
export function TemplateSection({ templates, templateId, cloneMode, onChange, errors }: Props) {
  const chosen = templates?.find((t) => t.id === templateId);
  return (
    <>
      <div className="field">
        <label htmlFor="vm-templateId">Template</label>
        <select
          id="vm-templateId"
          name="templateId"
          value={templateId}
          onChange={(e) => onChange({ templateId: e.target.value })}
          {...invalidProps('vm-templateId', errors.templateId)}
        >
          {!templates && <option value="">Loading…</option>}
          {templates?.length === 0 && <option value="">No templates in this cluster</option>}
          {templates?.map((t) => (
            <option key={t.id} value={t.id}>
              {t.name}
            </option>
          ))}
        </select>
        {chosen && (
          <div className="hint" aria-live="polite">
            {chosen.vcpus} vCPU{chosen.vcpus === 1 ? '' : 's'} · {fmtMib(chosen.memoryMib)} memory; the new VM
            gets the template’s disks and NICs and lands on its host.
          </div>
        )}
        <FieldError id="vm-templateId-error" message={errors.templateId} />
      </div>
      <div className="field">
        <label htmlFor="vm-cloneMode">Disks</label>
        <select
          id="vm-cloneMode"
          name="cloneMode"
          value={cloneMode}
          onChange={(e) => onChange({ cloneMode: e.target.value })}
          {...invalidProps('vm-cloneMode', errors.cloneMode)}
        >
          <option value="thin">Thin: overlays backed by the template’s disks</option>
          <option value="full">Full: independent copies</option>
        </select>
        <FieldError id="vm-cloneMode-error" message={errors.cloneMode} />
      </div>
    </>
  );
}
