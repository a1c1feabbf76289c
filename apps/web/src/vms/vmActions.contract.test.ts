import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { VM_ACTIONS, type VmActionId } from './vmActions';

/** The engine's published contract (regenerated from its DTOs and checked for drift in CI). */
const spec = JSON.parse(
  readFileSync(join(__dirname, '..', '..', '..', '..', 'docs', 'openapi.json'), 'utf8'),
) as {
  paths: Record<
    string,
    Record<string, { requestBody?: { content: Record<string, { schema: { $ref?: string } }> } }>
  >;
  components: { schemas: Record<string, { properties?: Record<string, { pattern?: string }> }> };
};

function bodySchema(method: string, path: string) {
  const op = spec.paths[`/api/v1${path.replace('VM', '{id}')}`]?.[method.toLowerCase()];
  const ref = op?.requestBody?.content['application/json']?.schema.$ref;
  return ref ? spec.components.schemas[ref.split('/').pop()!] : undefined;
}

describe('VM actions match the API contract', () => {
  const named = (Object.keys(VM_ACTIONS) as VmActionId[]).filter((a) => VM_ACTIONS[a].input === 'name');

  it.each(named)('"%s" asks for a name only where the endpoint takes one (validated by the API)', (a) => {
    const s = bodySchema(VM_ACTIONS[a].method, VM_ACTIONS[a].path('VM'));
    expect(s?.properties?.name).toBeDefined();
    expect(s?.properties?.name.pattern).toBeTruthy();
  });

  it('"Make template…" is among them: the template is named as asked, not after the VM', () => {
    expect(named).toContain('template');
  });
});
