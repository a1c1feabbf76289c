import { Permission } from '@kelpie/shared-types';
import { Body, Controller, Delete, Get, Head, HttpCode, Patch, Post, Req, Res } from '@nestjs/common';
import {
  ApiConsumes,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Can, on } from '../auth/access.decorator';
import { validationFailed } from '../common/errors/domain-error';
import { ApiErrors } from '../common/http/openapi';
import { Meta, RequestMeta } from '../common/http/request-meta';
import { UuidParam } from '../common/http/uuid-param';
import { CreateImageDto } from './image.dto';
import { ImageEntity } from './image.entity';
import { ImageResponse, mapImage } from './image.response';
import { ImageUploadService } from './image-upload.service';
import { ImagesService } from './images.service';

const CONTENT_TYPES = ['application/offset+octet-stream', 'application/octet-stream'];

function uploadHeaders(res: Response, image: ImageEntity): void {
  res.setHeader('Tus-Resumable', '1.0.0');
  res.setHeader('Upload-Offset', String(image.receivedBytes));
  res.setHeader('Upload-Length', String(image.sizeBytes));
  res.setHeader('Cache-Control', 'no-store');
}

function offsetHeader(req: Request): number {
  const raw = req.header('upload-offset');
  if (!raw || !/^\d{1,16}$/.test(raw))
    throw validationFailed('Upload-Offset header missing or not a byte count', [
      { field: 'Upload-Offset', reason: 'a non-negative integer: the offset HEAD answered' },
    ]);
  const type = (req.header('content-type') ?? '').split(';')[0]!.trim();
  if (!CONTENT_TYPES.includes(type))
    throw validationFailed('upload bytes need Content-Type application/offset+octet-stream', [
      { field: 'Content-Type', reason: `got ${type || 'none'}` },
    ]);
  return Number(raw);
}

@ApiTags('images')
@Controller('storage-domains')
export class ImagesController {
  constructor(
    private readonly images: ImagesService,
    private readonly uploads: ImageUploadService,
  ) {}

  @Post(':id/images')
  @Can(Permission.StorageManage, on.param('storage_domain'))
  @ApiOperation({
    summary: 'Start an upload into the domain: an ISO for its library, or a disk image',
    description:
      'The domain must be active and file-based (dir, local, nfs). Then PATCH the bytes to `uploadUrl` ' +
      '(resumable: HEAD tells the offset). The last byte runs the checks; a refused image is deleted.',
  })
  @ApiCreatedResponse({ type: ImageResponse })
  @ApiErrors(400, 404, 409, 422)
  async create(@UuidParam() id: string, @Body() dto: CreateImageDto, @Meta() meta: RequestMeta) {
    return mapImage(await this.images.create(id, dto, meta));
  }

  @Get(':id/images')
  @Can(Permission.View, on.param('storage_domain'))
  @ApiOperation({ summary: "The domain's images (ISO library and uploads under way), by name" })
  @ApiOkResponse({ type: ImageResponse, isArray: true })
  @ApiErrors(400, 404)
  async list(@UuidParam() id: string) {
    return (await this.images.list(id)).map(mapImage);
  }

  @Get(':id/images/:imageId')
  @Can(Permission.View, on.param('storage_domain'))
  @ApiOperation({ summary: 'One image' })
  @ApiOkResponse({ type: ImageResponse })
  @ApiErrors(400, 404)
  async get(@UuidParam() id: string, @UuidParam('imageId') imageId: string) {
    return mapImage(await this.images.get(id, imageId));
  }

  @Head(':id/images/:imageId/content')
  @Can(Permission.StorageManage, on.param('storage_domain'))
  @ApiOperation({
    summary: 'Where an upload stands (tus): Upload-Offset and Upload-Length headers',
    description: 'Waits for an upload under way in this engine to record what the host wrote.',
  })
  @ApiOkResponse({ description: 'Headers only' })
  @ApiErrors(400, 404)
  async offset(
    @UuidParam() id: string,
    @UuidParam('imageId') imageId: string,
    @Res() res: Response,
  ): Promise<void> {
    uploadHeaders(res, await this.uploads.offset(id, imageId));
    res.status(200).end();
  }

  @Patch(':id/images/:imageId/content')
  @Can(Permission.StorageManage, on.param('storage_domain'))
  @ApiConsumes('application/offset+octet-stream')
  @ApiOperation({
    summary: 'Append bytes to an upload from Upload-Offset (tus)',
    description:
      'The body streams to a host of the domain (never held by the engine). 204 with the new Upload-Offset; ' +
      'a dropped connection keeps what the host wrote (ask HEAD, send the rest). 409 when the offset is not ' +
      "the upload's. With the last byte: 204 once the image passed its checks, 422 (image deleted) when it " +
      'names a backing or data file, its content is not the declared format, or the checksum differs.',
  })
  @ApiNoContentResponse({ description: 'Bytes written; Upload-Offset header' })
  @ApiErrors(400, 404, 409, 422)
  async append(
    @UuidParam() id: string,
    @UuidParam('imageId') imageId: string,
    @Req() req: Request,
    @Res() res: Response,
    @Meta() meta: RequestMeta,
  ): Promise<void> {
    const image = await this.uploads.append(id, imageId, offsetHeader(req), req, meta);
    uploadHeaders(res, image);
    res.status(204).end();
  }

  @Delete(':id/images/:imageId')
  @HttpCode(204)
  @Can(Permission.StorageManage, on.param('storage_domain'))
  @ApiOperation({ summary: 'Delete an image and its volume (409 while a VM’s CD-ROM holds it)' })
  @ApiNoContentResponse()
  @ApiErrors(400, 404, 409)
  async remove(@UuidParam() id: string, @UuidParam('imageId') imageId: string, @Meta() meta: RequestMeta) {
    await this.images.remove(id, imageId, meta);
  }
}
