import { Page } from '@kelpie/shared-types';
import { Body, Delete, Get, HttpCode, Patch, Post, Query, Type } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse } from '@nestjs/swagger';
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

export interface CrudTypes<E, C, U, L> {
  entity: Type<E>;
  create: Type<C>;
  update: Type<U>;
  list: Type<L>;
}

/**
 * POST /, GET /, GET /:id, PATCH /:id, DELETE /:id for one inventory resource. The DTO classes are
 * written into the parameter metadata so the global ValidationPipe and the OpenAPI generator see
 * the concrete types (generics are erased at runtime).
 */
export function CrudController<E, C, U, L>(types: CrudTypes<E, C, U, L>) {
  abstract class Crud {
    abstract readonly svc: CrudService<E, C, U, L>;

    @Post()
    @ApiBody({ type: types.create })
    @ApiCreatedResponse({ type: types.entity })
    @ApiErrors(400, 404, 409)
    create(@Body() dto: C, @Meta() meta: RequestMeta): Promise<E> {
      return this.svc.create(dto, meta);
    }

    @Get()
    @ApiPage(types.entity)
    @ApiErrors(400)
    list(@Query() query: L): Promise<Page<E>> {
      return this.svc.list(query);
    }

    @Get(':id')
    @ApiOkResponse({ type: types.entity })
    @ApiErrors(400, 404)
    get(@UuidParam() id: string): Promise<E> {
      return this.svc.get(id);
    }

    @Patch(':id')
    @ApiBody({ type: types.update })
    @ApiOkResponse({ type: types.entity })
    @ApiErrors(400, 404, 409)
    update(@UuidParam() id: string, @Body() dto: U, @Meta() meta: RequestMeta): Promise<E> {
      return this.svc.update(id, dto, meta);
    }

    @Delete(':id')
    @HttpCode(204)
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
