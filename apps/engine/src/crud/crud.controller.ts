import { Page, Permission } from '@kelpie/shared-types';
import { Body, Delete, Get, HttpCode, Patch, Post, Query, Type } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse } from '@nestjs/swagger';
import { Can, CanList, ObjectSource, on, ResolvableType } from '../auth/access.decorator';
import { ApiErrors, ApiPage } from '../common/http/openapi';
import { Meta, RequestMeta } from '../common/http/request-meta';
import { UuidParam } from '../common/http/uuid-param';

export interface CrudService<E, C, U, L> {
  create(dto: C, meta: RequestMeta): Promise<E>;
  list(query: L): Promise<Page<E>>;
  get(id: string): Promise<E>;
  update(id: string, dto: U, meta: RequestMeta): Promise<E>;
  remove(id: string, meta: RequestMeta): Promise<void>;
}

export interface CrudTypes<E, C, U, L, R> {
  entity: Type<E>;
  /** The response body and its OpenAPI schema, mapped from the entity: entities are not the API (a
   * new column is public only once its mapper answers it). */
  response: { type: Type<R>; map: (entity: E) => R };
  create: Type<C>;
  update: Type<U>;
  list: Type<L>;
  /** Who may: `manage` on the object (`:id`) to edit or delete it, `manage` on `createOn` to create one. */
  access: { type: ResolvableType; manage: Permission; createOn: ObjectSource };
}

/**
 * POST /, GET /, GET /:id, PATCH /:id, DELETE /:id for one inventory resource. The DTO classes are
 * written into the parameter metadata so the global ValidationPipe and the OpenAPI generator see
 * the concrete types (generics are erased at runtime).
 */
export function CrudController<E, C, U, L, R>(types: CrudTypes<E, C, U, L, R>) {
  const { type: schema, map } = types.response;
  abstract class Crud {
    abstract readonly svc: CrudService<E, C, U, L>;

    @Post()
    @Can(types.access.manage, types.access.createOn)
    @ApiBody({ type: types.create })
    @ApiCreatedResponse({ type: schema })
    @ApiErrors(400, 404, 409)
    async create(@Body() dto: C, @Meta() meta: RequestMeta): Promise<R> {
      return map(await this.svc.create(dto, meta));
    }

    @Get()
    @CanList(types.access.type)
    @ApiPage(schema)
    @ApiErrors(400)
    async list(@Query() query: L): Promise<Page<R>> {
      const page = await this.svc.list(query);
      return { ...page, items: page.items.map(map) };
    }

    @Get(':id')
    @Can(Permission.View, on.param(types.access.type))
    @ApiOkResponse({ type: schema })
    @ApiErrors(400, 404)
    async get(@UuidParam() id: string): Promise<R> {
      return map(await this.svc.get(id));
    }

    @Patch(':id')
    @Can(types.access.manage, on.param(types.access.type))
    @ApiBody({ type: types.update })
    @ApiOkResponse({ type: schema })
    @ApiErrors(400, 404, 409)
    async update(@UuidParam() id: string, @Body() dto: U, @Meta() meta: RequestMeta): Promise<R> {
      return map(await this.svc.update(id, dto, meta));
    }

    @Delete(':id')
    @HttpCode(204)
    @Can(types.access.manage, on.param(types.access.type))
    @ApiNoContentResponse()
    @ApiErrors(400, 404, 409)
    async remove(@UuidParam() id: string, @Meta() meta: RequestMeta): Promise<void> {
      await this.svc.remove(id, meta);
    }
  }
  const set = (method: string, paramTypes: unknown[]) =>
    Reflect.defineMetadata('design:paramtypes', paramTypes, Crud.prototype, method);
  set('create', [types.create, Object]);
  set('list', [types.list]);
  set('update', [String, types.update, Object]);
  return Crud;
}
