import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { VM_ACTION_REQUEST, type ActionBody } from './vmActionRequests';
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

/** The request an action makes through the typed client, as the engine would receive it. */
async function sent(action: VmActionId, body?: ActionBody) {
  const calls: [string, RequestInit][] = [];
  vi.stubGlobal('fetch', (url: string, init: RequestInit) => {
    calls.push([url, init]);
    return Promise.resolve(new Response('{}', { status: 200 }));
  });
  await VM_ACTION_REQUEST[action]('VM', { headers: { 'x-correlation-id': 'c' } }, body);
  const [url, init] = calls[0]!;
  return {
    method: init.method!,
    path: new URL(url, 'http://x').pathname.replace('/VM', '/{id}'),
    body: init.body ? (JSON.parse(init.body as string) as Record<string, unknown>) : undefined,
  };
}

function bodySchema(method: string, path: string) {
  const op = spec.paths[path]?.[method.toLowerCase()];
  const ref = op?.requestBody?.content['application/json']?.schema.$ref;
  return ref ? spec.components.schemas[ref.split('/').pop()!] : undefined;
}

afterEach(() => vi.unstubAllGlobals());

describe('VM actions match the API contract', () => {
  const named = (Object.keys(VM_ACTIONS) as VmActionId[]).filter((a) => VM_ACTIONS[a].input === 'name');

  it.each(named)(
    '"%s" sends the name asked for, where the endpoint takes one (validated by the API)',
    async (a) => {
      const req = await sent(a, { name: 'asked-name' });
      expect(req.body).toEqual({ name: 'asked-name' });
      const s = bodySchema(req.method, req.path);
      expect(s?.properties?.name).toBeDefined();
      expect(s?.properties?.name.pattern).toBeTruthy();
    },
  );

  it('"Make template…" is among them: the template is named as asked, not after the VM', async () => {
    expect(named).toContain('template');
    expect(await sent('template', { name: 'golden' })).toEqual({
      method: 'POST',
      path: '/api/v1/vms/{id}/template',
      body: { name: 'golden' },
    });
  });

  it('every action reaches an endpoint the engine publishes', async () => {
    for (const a of Object.keys(VM_ACTIONS) as VmActionId[]) {
      const req = await sent(a);
      expect(spec.paths[req.path]?.[req.method.toLowerCase()]).toBeDefined();
    }
  });
});
