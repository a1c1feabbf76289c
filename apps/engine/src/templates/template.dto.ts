import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { CloneMode } from '../clones/clones.service';
import { IsName } from '../common/validation/validators';

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
