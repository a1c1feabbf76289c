import { readFile } from 'node:fs/promises';
import { VirshError } from '../process';
import { parsePoolInfo, PoolOperations, secretUuidFor } from './pools';

describe('pool-info --bytes', () => {
  it('reads state, capacity and available bytes', () => {
    const out = [
      'Name:           kelpie-x',
      'UUID:           6a3e0f7e-3c0b-4a8e-9d51-6c1e5a0f1b2c',
      'State:          running',
      'Persistent:     yes',
      'Autostart:      yes',
      'Capacity:       52521566208',
      'Allocation:     10737418240',
      'Available:      41784147968',
    ].join('\n');
    expect(parsePoolInfo(out)).toEqual({ active: true, capacity: 52521566208, available: 41784147968 });
  });

  it('an inactive pool has no sizes', () => {
    expect(parsePoolInfo('Name: p\nState:          inactive\n')).toEqual({
      active: false,
      capacity: null,
      available: null,
    });
  });
});

describe('activating a pool', () => {
  /** virsh with one pool `kelpie-x` (running) when `existing`, none otherwise; records what is defined. */
  function virsh(existing: boolean) {
    const defined: string[] = [];
    const run = jest.fn(async (args: string[]) => {
      if (args[0] === 'pool-define') {
        defined.push(await readFile(args[2]!, 'utf8'));
        return { stdout: '' };
      }
      if (args[0] === 'pool-uuid') {
        if (!existing)
          throw new VirshError('libvirt_error', 'Storage pool not found: no storage pool with matching name');
        return { stdout: '6a3e0f7e-3c0b-4a8e-9d51-6c1e5a0f1b2c\n' };
      }
      if (args[0] === 'pool-info') return { stdout: 'State: running\nCapacity: 10\nAvailable: 5\n' };
      return { stdout: '' };
    });
    return { run, defined };
  }
  const spec = { type: 'dir' as const, name: 'kelpie-x', path: '/srv/x', build: false };

  it('redefines a pool that already exists under its own UUID (asked again by an adopting engine)', async () => {
    const v = virsh(true);
    const state = await new PoolOperations(v as never).activate(spec);
    expect(state).toMatchObject({ name: 'kelpie-x', active: true, error: null });
    expect(v.defined[0]).toContain('<uuid>6a3e0f7e-3c0b-4a8e-9d51-6c1e5a0f1b2c</uuid>');
  });

  it('defines a new pool without a UUID (libvirt makes one)', async () => {
    const v = virsh(false);
    await new PoolOperations(v as never).activate(spec);
    expect(v.defined[0]).not.toContain('<uuid>');
  });
});

describe('activating a dir pool on a directory another pool serves', () => {
  const other = (name: string) => {
    const calls: string[][] = [];
    const run = jest.fn(async (args: string[]) => {
      calls.push(args);
      if (args[0] === 'pool-list') return { stdout: `${name}\nkelpie-x\n` };
      if (args[0] === 'pool-dumpxml' && args[2] === name)
        return { stdout: "<pool type='dir'><target><path>/srv/x/</path></target></pool>" };
      if (args[0] === 'pool-uuid')
        throw new VirshError('libvirt_error', 'no storage pool with matching name');
      if (args[0] === 'pool-info') return { stdout: 'State: running\n' };
      return { stdout: '' };
    });
    return { run, calls };
  };
  const spec = { type: 'dir' as const, name: 'kelpie-x', path: '/srv/x', build: false };

  it('takes it over from a pool no domain owns (the lab’s kelpie-shared): stopped and undefined first', async () => {
    const v = other('kelpie-shared');
    const state = await new PoolOperations(v as never).activate(spec);
    expect(state.error).toBeNull();
    const order = v.calls.map((c) => `${c[0]} ${c[2] ?? ''}`.trim());
    expect(order.indexOf('pool-undefine kelpie-shared')).toBeGreaterThan(
      order.indexOf('pool-destroy kelpie-shared'),
    );
    expect(order.findIndex((o) => o.startsWith('pool-define '))).toBeGreaterThan(
      order.indexOf('pool-undefine kelpie-shared'),
    );
  });

  it('leaves it to another storage domain’s pool, and says so', async () => {
    const v = other('kelpie-0b7c1a52-5f4e-4d7e-9a55-0f5c3a3e7d10');
    const state = await new PoolOperations(v as never).activate(spec);
    expect(state).toMatchObject({ active: false, error: expect.stringContaining('another storage domain') });
    expect(v.calls.map((c) => c[0])).not.toContain('pool-define');
    expect(v.calls.map((c) => c[0])).not.toContain('pool-destroy');
  });
});

describe('removing a pool', () => {
  it('tries again when the periodic check started the pool between its destroy and undefine', async () => {
    let undefines = 0;
    const calls: string[] = [];
    const run = jest.fn(async (args: string[]) => {
      calls.push(args[0]!);
      if (args[0] === 'pool-info') return { stdout: 'State: running\n' };
      if (args[0] === 'pool-undefine' && ++undefines === 1)
        throw new VirshError(
          'libvirt_error',
          "Requested operation is not valid: storage pool 'kelpie-x' is still active",
        );
      return { stdout: '' };
    });
    await new PoolOperations({ run } as never).remove('kelpie-x');
    expect(calls.filter((c) => c === 'pool-destroy')).toHaveLength(2);
    expect(undefines).toBe(2);
  });

  it('gives up on other errors at once', async () => {
    const run = jest.fn(async (args: string[]) => {
      if (args[0] === 'pool-info') return { stdout: 'State: inactive\n' };
      throw new VirshError('libvirt_error', 'permission denied');
    });
    await expect(new PoolOperations({ run } as never).remove('kelpie-x')).rejects.toThrow(
      /permission denied/,
    );
    expect(run.mock.calls.filter(([a]) => a[0] === 'pool-undefine')).toHaveLength(1);
  });
});

describe('secret-list', () => {
  it('finds the iscsi secret whose usage names the pool, nothing else', () => {
    const out = [
      ' UUID                                   Usage',
      '-----------------------------------------------------------',
      ' 11111111-2222-3333-4444-555555555555   iscsi kelpie-a',
      ' 66666666-2222-3333-4444-555555555555   ceph client.admin',
      ' 77777777-2222-3333-4444-555555555555   iscsi kelpie-ab',
    ].join('\n');
    expect(secretUuidFor(out, 'kelpie-a')).toBe('11111111-2222-3333-4444-555555555555');
    expect(secretUuidFor(out, 'kelpie-b')).toBeNull();
  });
});
