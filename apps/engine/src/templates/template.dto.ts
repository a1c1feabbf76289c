import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { CloneMode } from '../clones/clones.service';
import { IsDescription, IsName } from '../common/validation/validators';

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

/** Body of POST /vms/{id}/template (optional): the template's name and description. Without a name
 * the template keeps the VM's; a new name renames the stopped domain on its host too. */
export class MakeTemplateDto {
  @IsOptional()
  @IsName(true)
  name?: string;

  @IsOptional()
  @IsDescription()
  description?: string;
}
