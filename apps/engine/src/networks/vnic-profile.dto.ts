import { NIC_BURST_MAX_KIB, NIC_RATE_MAX_KIBPS } from '@kelpie/shared-types';
import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsInt,
  IsObject,
  IsOptional,
  Max,
  Min,
  registerDecorator,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { IsDescription, IsName } from '../common/validation/validators';

/** A peak below the average would never shape anything: libvirt accepts it, the admin meant else. */
function AtLeastAverage(): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'atLeastAverage',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: `${String(propertyName)} must be at least averageKiBps` },
      validator: {
        validate: (v: unknown, args) => {
          const avg = (args?.object as NicQosLimitDto).averageKiBps;
          return typeof v !== 'number' || typeof avg !== 'number' || v >= avg;
        },
      },
    });
}

export class NicQosLimitDto {
  @ApiProperty({ minimum: 1, maximum: NIC_RATE_MAX_KIBPS, description: 'Average rate, KiB/s.' })
  @IsInt()
  @Min(1)
  @Max(NIC_RATE_MAX_KIBPS)
  averageKiBps!: number;

  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    minimum: 1,
    maximum: NIC_RATE_MAX_KIBPS,
    description: 'Peak rate while bursting, KiB/s (≥ averageKiBps).',
  })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsInt()
  @Min(1)
  @Max(NIC_RATE_MAX_KIBPS)
  @AtLeastAverage()
  peakKiBps?: number | null;

  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    minimum: 1,
    maximum: NIC_BURST_MAX_KIB,
    description: 'KiB that may be sent at peak rate.',
  })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsInt()
  @Min(1)
  @Max(NIC_BURST_MAX_KIB)
  burstKiB?: number | null;
}

/** One direction of a profile: optional, null clears it, else a valid limit. */
function QosLimit(description: string): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ type: NicQosLimitDto, nullable: true, description }),
    IsOptional(),
    ValidateIf((_, v) => v !== null),
    IsObject(),
    ValidateNested(),
    Type(() => NicQosLimitDto),
  );
}

export class CreateVnicProfileDto {
  @IsName()
  name!: string;

  @IsOptional()
  @IsDescription()
  description?: string;

  @QosLimit('Traffic the guest receives; null = unlimited.')
  inbound?: NicQosLimitDto | null;

  @QosLimit('Traffic the guest sends; null = unlimited.')
  outbound?: NicQosLimitDto | null;

  @ApiPropertyOptional({
    default: false,
    description:
      'Copy all of the network’s traffic to the VM NICs using this profile (an Open vSwitch mirror with ' +
      'the NIC’s port as output; on a Linux bridge tc mirred filters on the bridge’s other ports): such a ' +
      'NIC only listens. Applied at NIC start/plug.',
  })
  @IsOptional()
  @IsBoolean()
  portMirroring?: boolean;
}

export class UpdateVnicProfileDto extends PartialType(CreateVnicProfileDto) {}
