import { ObjectType } from '@kelpie/shared-types';
import { Body, Controller, Injectable, Post, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBody, ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import type { Response } from 'express';
import { ClonesService, CloneMode } from '../clones/clones.service';
import { VmOpsSupport } from '../clones/vm-ops-support';
import { acceptedTask } from '../common/http/accepted';
import { ApiErrors } from '../common/http/openapi';
import { Meta, RequestMeta } from '../common/http/request-meta';
import { UuidParam } from '../common/http/uuid-param';
import { IsName } from '../common/validation/validators';
import { EventsService } from '../events/events.service';
import { ChangeNotifier } from '../inventory/inventory.service';
import { StreamService } from '../stream/stream.service';
import { TaskEntity } from '../tasks/task.entity';
import { VmEntity } from '../vms/vm.entity';

export class CreateFromTemplateDto {
  @IsName()
  name!: string;

  @ApiProperty({
    enum: ['full', 'thin'],
    description: 'full: independent copy of the disks; thin: qcow2 overlays backed by the template disks',
  })
  @IsIn(['full', 'thin'])
  mode!: CloneMode;
}

/** Templates: stopped VMs frozen as the source of new VMs. A template never starts again (the VM
 * state table refuses it); thin VMs keep it from being deleted (409 has_children naming them). */
@Injectable()
export class TemplatesService {
  private readonly notify: ChangeNotifier;

  constructor(
    private readonly ops: VmOpsSupport,
    events: EventsService,
    stream: StreamService,
  ) {
    this.notify = new ChangeNotifier(events, stream);
  }

  async makeTemplate(id: string, meta: RequestMeta): Promise<VmEntity> {
    const vm = await this.ops.vm(id);
    this.ops.guard(vm, 'make-template');
    // Conditional update: a start that raced with this request wins, and this one is refused.
    const res = await this.ops.vms
      .createQueryBuilder()
      .update()
      .set({ isTemplate: true })
      .where('id = :id AND status = :status AND is_template = false', { id, status: vm.status })
      .execute();
    const saved = await this.ops.vm(id);
    if (!res.affected) this.ops.guard(saved, 'make-template');
    await this.notify.updated(ObjectType.Vm, saved, ['isTemplate'], meta, [
      { type: ObjectType.Cluster, id: saved.clusterId },
    ]);
    return saved;
  }
}

@ApiTags('templates')
@Controller()
export class TemplatesController {
  constructor(
    private readonly templates: TemplatesService,
    private readonly clones: ClonesService,
  ) {}

  /** Turns a stopped VM into a template (`isTemplate: true`); templates are never started again. */
  @Post('vms/:id/template')
  @ApiOkResponse({ type: VmEntity })
  @ApiErrors(400, 404, 409)
  makeTemplate(@UuidParam() id: string, @Meta() meta: RequestMeta) {
    return this.templates.makeTemplate(id, meta);
  }

  /** A new VM from a template, on the template's host: full copy or thin overlay. */
  @Post('templates/:id/vms')
  @ApiBody({ type: CreateFromTemplateDto })
  @ApiAcceptedResponse({ type: TaskEntity, description: 'the task; `result.vmId` is the new VM' })
  @ApiErrors(400, 404, 409, 422)
  async createVm(
    @UuidParam() id: string,
    @Body() dto: CreateFromTemplateDto,
    @Meta() meta: RequestMeta,
    @Res({ passthrough: true }) res: Response,
  ) {
    return acceptedTask(res, await this.clones.fromTemplate(id, dto.name, dto.mode, meta));
  }
}
