import { currentPrincipal } from '../common/identity/request-context';
import {
  CONSOLE_WS_PATH,
  ConsoleKind,
  ConsoleTicket,
  ErrorCode,
  HostStatus,
  ObjectType,
  VmStatus,
} from '@kelpie/shared-types';
import { Injectable } from '@nestjs/common';
import { randomBytes, randomInt } from 'node:crypto';
import { AgentCommandError } from '../agents/agent-command.error';
import { apiCodeOf } from '../agents/agent-error.mapping';
import { CommandBus } from '../agents/command-bus.service';
import { DomainError, invalidState, notFound } from '../common/errors/domain-error';
import { RequestMeta } from '../common/http/request-meta';
import { EventsService } from '../events/events.service';
import { VmEntity } from '../vms/vm.entity';
import { VmRepository } from '../vms/vm.repository';
import { ConsoleTicketService, TicketGrant } from './console-ticket.service';

/** VM states in which QEMU runs, so a console can be opened. */
export const CONSOLE_STATES: ReadonlySet<VmStatus> = new Set([
  VmStatus.Up,
  VmStatus.Paused,
  VmStatus.PoweringDown,
  VmStatus.RebootInProgress,
  VmStatus.MigratingFrom,
]);

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** 8 random letters/digits (~47.6 bits): VNC authentication uses at most 8 password bytes. */
export function randomVncPassword(): string {
  let s = '';
  for (let i = 0; i < 8; i++) s += ALNUM[randomInt(ALNUM.length)];
  return s;
}

/** Issues console tickets: checks the VM runs, prepares the console on its host, stores the grant. */
@Injectable()
export class ConsoleService {
  constructor(
    private readonly vms: VmRepository,
    private readonly bus: CommandBus,
    private readonly tickets: ConsoleTicketService,
    private readonly events: EventsService,
  ) {}

  async open(vmId: string, kind: ConsoleKind, meta: RequestMeta): Promise<ConsoleTicket> {
    const vm = await this.vms.withHost(vmId);
    if (!vm) throw notFound('vm', vmId);
    if (!CONSOLE_STATES.has(vm.status) || !vm.hostId)
      throw invalidState(`VM ${vm.name} is ${vm.status}: a console needs a running VM`);
    const host = vm.host;
    if (!host || (host.status !== HostStatus.Up && host.status !== HostStatus.NonOperational))
      throw new DomainError(
        ErrorCode.HostUnavailable,
        `host ${host?.name ?? vm.hostId} of VM ${vm.name} is ${host?.status ?? 'gone'}`,
      );
    if (kind === 'vnc' && !vm.graphicsPort)
      throw invalidState(`VM ${vm.name} has no VNC display (its host reports no VNC port)`);

    const ttlMs = this.tickets.ttlMs;
    const validForSeconds = Math.max(5, Math.ceil(ttlMs / 1000));
    const expiresAt = new Date(Date.now() + ttlMs).toISOString();
    const base = {
      kind,
      vmId,
      hostId: host.id,
      actor: meta.actor,
      // The proxy accepts the ticket only from this user's session or token.
      userId: currentPrincipal()?.userId ?? '',
      correlationId: meta.correlationId,
      expiresAt,
    };
    // The audit event and (VNC) the grant are written while the host prepares the console.
    const audit = this.events.record({
      type: kind === 'vnc' ? 'vm.console_ticket' : 'vm.serial_console_ticket',
      message: `${meta.actor} requested a ${kind === 'vnc' ? 'VNC' : 'serial'} console ticket for VM ${vm.name}`,
      refs: [
        { type: ObjectType.Vm, id: vm.id, name: vm.name },
        { type: ObjectType.Host, id: host.id, name: host.name },
      ],
      correlationId: meta.correlationId,
    });
    audit.catch(() => undefined); // awaited below; a failed preparation must not leave it unhandled
    let ticket: string;
    if (kind === 'vnc') {
      const password = randomVncPassword();
      ticket = await this.issueWhile({ ...base, vncPassword: password }, () =>
        this.onHost(vm, () =>
          this.bus.send(
            host.id,
            'vm.set-graphics-password',
            { uuid: vm.id, password, validForSeconds, graphicsPort: vm.graphicsPort ?? undefined },
            { correlationId: meta.correlationId },
          ),
        ),
      );
    } else {
      const token = randomBytes(32).toString('base64url');
      const r = await this.onHost(vm, () =>
        this.bus.send(
          host.id,
          'vm.open-serial-console',
          { uuid: vm.id, token, validForSeconds },
          { correlationId: meta.correlationId },
        ),
      );
      ticket = await this.tickets.issue({ ...base, serialPort: r.port, serialToken: token });
    }
    await audit;
    return {
      ticket,
      kind,
      vmId,
      expiresAt,
      wsPath: `${CONSOLE_WS_PATH}?vm=${vmId}&ticket=${ticket}`,
    };
  }

  /** Stores the grant while `prepare` runs: nobody holds the ticket before it is returned, and a
   * failed preparation revokes it. */
  private async issueWhile(grant: TicketGrant, prepare: () => Promise<unknown>): Promise<string> {
    const [issued, prepared] = await Promise.allSettled([this.tickets.issue(grant), prepare()]);
    if (prepared.status === 'rejected') {
      if (issued.status === 'fulfilled') await this.tickets.revoke(issued.value).catch(() => undefined);
      throw prepared.reason;
    }
    if (issued.status === 'rejected') throw issued.reason;
    return issued.value;
  }

  private async onHost<T>(vm: VmEntity, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (err) {
      if (!(err instanceof AgentCommandError)) throw err;
      throw new DomainError(
        apiCodeOf(err),
        `cannot open a console of VM ${vm.name}: ${err.message} (${err.code})`,
      );
    }
  }
}
