import type { Vm } from '@kelpie/shared-types';
import { usePage } from '../api/hooks';
import { fmtMib } from '../components/format';
import { SelectField, type Option } from '../forms/fields';

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
  const placeholder = !templates
    ? 'Loading…'
    : templates.length === 0
      ? 'No templates in this cluster'
      : undefined;
  return (
    <>
      <SelectField
        id="vm-templateId"
        name="templateId"
        label="Template"
        value={templateId}
        placeholder={placeholder}
        options={(templates ?? []).map((t) => ({ value: t.id, label: t.name }))}
        error={errors.templateId}
        hint={
          chosen &&
          `${chosen.vcpus} vCPU${chosen.vcpus === 1 ? '' : 's'} · ${fmtMib(chosen.memoryMib)} memory; the new VM gets the template’s disks and NICs and lands on its host.`
        }
        onChange={(id) => onChange({ templateId: id })}
      />
      <SelectField
        id="vm-cloneMode"
        name="cloneMode"
        label="Disks"
        value={cloneMode}
        options={CLONE_MODES}
        error={errors.cloneMode}
        onChange={(mode) => onChange({ cloneMode: mode })}
      />
    </>
  );
}

const CLONE_MODES: Option<string>[] = [
  { value: 'thin', label: 'Thin: overlays backed by the template’s disks' },
  { value: 'full', label: 'Full: independent copies' },
];
