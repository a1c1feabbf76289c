import { ErrorCode, HostStatus, VmStatus } from '@kelpie/shared-types';
import { AgentCommandError } from '../agents/agent-command.error';
import type { CommandBus } from '../agents/command-bus.service';
import type { EventsService } from '../events/events.service';
import type { VmRepository } from '../vms/vm.repository';
import type { ConsoleTicketService, TicketGrant } from './console-ticket.service';
import { ConsoleService } from './console.service';

const VM = {
  id: '6de778cd-c9ea-461b-8d51-d36ff64f6303',
  name: 'v1',
  status: VmStatus.Up,
  hostId: 'h1',
  graphicsPort: 5901,
  host: { id: 'h1', name: 'host1', status: HostStatus.Up },
};

/** Unit level: the order of the ticket's steps, with the agent answering as told. */
function service(agent: () => Promise<unknown>) {
  const stored = new Map<string, TicketGrant>();
  let n = 0;
  const tickets = {
    ttlMs: 60_000,
    issue: async (g: TicketGrant) => {
      const t = `t${++n}`;
      stored.set(t, g);
      return t;
    },
    revoke: async (t: string) => void stored.delete(t),
  };
  const sent: unknown[] = [];
  const bus = {
    send: async (_host: string, _name: string, payload: unknown) => (sent.push(payload), agent()),
  };
  const events: unknown[] = [];
  const svc = new ConsoleService(
    { withHost: async () => VM } as unknown as VmRepository,
    bus as unknown as CommandBus,
    tickets as unknown as ConsoleTicketService,
    { record: async (e: unknown) => void events.push(e) } as unknown as EventsService,
  );
  const open = () => svc.open(VM.id, 'vnc', { actor: 'test', correlationId: 'c1' } as never);
  return { open, stored, sent, events };
}

describe('ConsoleService.open (vnc)', () => {
  it('stores the grant with the password the agent set and the inventory port in the command', async () => {
    const s = service(async () => ({ graphicsPort: 5901, validTo: 'x' }));
    const t = await s.open();
    const grant = s.stored.get(t.ticket)!;
    expect(grant).toMatchObject({ kind: 'vnc', vmId: VM.id, hostId: 'h1' });
    expect(s.sent).toEqual([
      { uuid: VM.id, password: grant.vncPassword, validForSeconds: 60, graphicsPort: 5901 },
    ]);
    expect(s.events).toHaveLength(1);
  });

  it('revokes the grant stored meanwhile when the agent cannot set the password (409)', async () => {
    const s = service(async () => {
      throw new AgentCommandError({ code: 'operation_invalid', message: 'the domain is not running' });
    });
    await expect(s.open()).rejects.toMatchObject({ code: ErrorCode.InvalidState });
    expect(s.stored.size).toBe(0);
    expect(s.events).toHaveLength(1); // the request is audited either way
  });
});
