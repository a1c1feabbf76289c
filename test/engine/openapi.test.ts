import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateOpenApi, serialize } from '@kelpie/engine/testing';

describe('OpenAPI document', () => {
  it('docs/openapi.json matches the code (regenerate: node apps/engine/dist/tools/openapi.js)', async () => {
    const committed = readFileSync(join(__dirname, '..', '..', 'docs', 'openapi.json'), 'utf8');
    expect(serialize(await generateOpenApi())).toBe(committed);
  });

  it('documents every resource, the stream and the error shape', async () => {
    const doc = await generateOpenApi();
    for (const p of [
      'datacenters',
      'clusters',
      'hosts',
      'storage-domains',
      'networks',
      'vms',
      'disks',
      'nics',
      'tasks',
      'events',
    ]) {
      expect(doc.paths).toHaveProperty([`/api/v1/${p}/{id}`]);
    }
    expect(doc.paths).toHaveProperty(['/api/v1/events/stream']);
    expect(doc.components?.schemas).toHaveProperty('ApiError');
    expect(doc.components?.schemas).toHaveProperty('Vm');
  });

  it('types the objects inside tasks, events and VMs (no bare `object` for the generated client)', async () => {
    const schemas = (await generateOpenApi()).components?.schemas as Record<string, SchemaLike>;
    const props = (name: string) => schemas[name]!.properties!;
    expect(props('AuditEvent').refs!.items).toEqual({ $ref: '#/components/schemas/ObjectRef' });
    expect(props('Task').steps!.items).toEqual({ $ref: '#/components/schemas/TaskStep' });
    expect(JSON.stringify(props('Task').target)).toContain('#/components/schemas/ObjectRef');
    expect(JSON.stringify(props('Vm').pendingRestart)).toContain('#/components/schemas/PendingRestart');
    expect(props('ObjectRef').type!.enum).toContain('storage_domain');
    expect(schemas.PendingRestart!.required).toEqual(['fields', 'since']);
  });
});

interface SchemaLike {
  properties?: Record<string, { items?: unknown; enum?: string[] }>;
  required?: string[];
}
