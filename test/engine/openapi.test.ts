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
});
