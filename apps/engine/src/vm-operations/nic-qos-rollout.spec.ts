import { ObjectType, type StreamMessage } from '@kelpie/shared-types';
import type Redis from 'ioredis';
import { Subject } from 'rxjs';
import type { EngineConfig } from '../config/config.schema';
import type { NetworkRepository } from '../networks/network.repository';
import type { NicsService } from '../nics/nics.service';
import type { StreamService } from '../stream/stream.service';
import type { TasksService } from '../tasks/tasks.service';
import type { VmGuard } from '../vm-guard/vm-guard.service';
import { NicQosRollout } from './nic-qos-rollout.service';

/** Two engines hearing the same stream message, sharing one (fake) Redis. */
function twoEngines(profileOutbound: number) {
  const claims = new Map<string, string>();
  const redis = {
    set: jest.fn(async (key: string, value: string) => {
      if (claims.has(key)) return null;
      claims.set(key, value);
      return 'OK';
    }),
  } as unknown as Redis;
  const active = [
    {
      nic: {
        id: 'n1',
        name: 'nic1',
        mac: '52:54:00:00:00:01',
        profileId: 'p1',
        definedSpec: { bandwidth: {} },
      },
      vm: { id: 'v1', name: 'vm1', hostId: 'h1' },
    },
  ];
  const engines = ['e1', 'e2'].map((engineId) => {
    const tasks = { launch: jest.fn(async () => ({ id: `task-${engineId}` })) };
    const rollout = new NicQosRollout(
      { engineId, messages: new Subject<StreamMessage>() } as unknown as StreamService,
      tasks as unknown as TasksService,
      { activeOnNetwork: jest.fn(async () => active) } as unknown as NicsService,
      {} as VmGuard,
      {
        profilesByIds: jest.fn(async () => [
          {
            id: 'p1',
            outboundAverageKibps: profileOutbound,
            outboundPeakKibps: null,
            outboundBurstKib: null,
          },
        ]),
      } as unknown as NetworkRepository,
      redis,
      { redisPrefix: 'kt' } as EngineConfig,
    );
    return { rollout, tasks };
  });
  return { engines, claims };
}

describe('NicQosRollout', () => {
  it('runs a profile change once across engines: the first to claim it launches the task', async () => {
    const { engines, claims } = twoEngines(1000);
    const ids = await Promise.all(engines.map((e) => e.rollout.rollout('net1', 'net', 'c1')));
    expect(ids.filter(Boolean)).toHaveLength(1);
    expect(engines.map((e) => e.tasks.launch.mock.calls.length).sort()).toEqual([0, 1]);
    expect([...claims.keys()][0]).toMatch(/^kt:qos-rollout:net1:[0-9a-f]{32}$/);
  });

  it('claims a different change of the same network again', async () => {
    const first = twoEngines(1000);
    const second = twoEngines(2000);
    await first.engines[0].rollout.rollout('net1', 'net', null);
    await second.engines[0].rollout.rollout('net1', 'net', null);
    expect([...first.claims.keys()]).not.toEqual([...second.claims.keys()]);
  });

  it('ignores stream messages about other objects or other network fields', () => {
    const { engines } = twoEngines(1000);
    const spy = jest.spyOn(engines[0].rollout, 'rollout');
    const onStream = (
      engines[0].rollout as unknown as { onStream(m: StreamMessage): Promise<void> }
    ).onStream.bind(engines[0].rollout);
    void onStream({
      type: 'object.updated',
      object: { type: ObjectType.Vm, id: 'x' },
      changes: ['vnicProfiles'],
    } as never);
    void onStream({
      type: 'object.updated',
      object: { type: ObjectType.Network, id: 'n' },
      changes: ['mtu'],
    } as never);
    expect(spy).not.toHaveBeenCalled();
  });
});
