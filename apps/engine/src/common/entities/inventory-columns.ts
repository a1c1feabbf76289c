import { DESCRIPTION_MAX_LENGTH, NAME_MAX_LENGTH, NAME_PATTERN } from '@kelpie/shared-types';
import { ApiProperty } from '@nestjs/swagger';
import { Column, CreateDateColumn, UpdateDateColumn } from 'typeorm';

/** SQL twin of NAME_PATTERN for CHECK constraints (defence in depth behind the DTO validation). */
export const nameCheck = (column = 'name') => `"${column}" ~ '${NAME_PATTERN.source}'`;

/** Columns every named inventory object has. The id is declared by each entity (its own PK name). */
export abstract class InventoryColumns {
  @ApiProperty({ maxLength: NAME_MAX_LENGTH, pattern: NAME_PATTERN.source })
  @Column({ type: 'varchar', length: NAME_MAX_LENGTH })
  name!: string;

  @ApiProperty({ maxLength: DESCRIPTION_MAX_LENGTH })
  @Column({ type: 'varchar', length: DESCRIPTION_MAX_LENGTH, default: '' })
  description!: string;

  @ApiProperty({ type: String, format: 'date-time' })
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @ApiProperty({ type: String, format: 'date-time' })
  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
