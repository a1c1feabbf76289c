import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { TaskEntity } from './task.entity';
import { TasksController } from './tasks.controller';
import { TasksService } from './tasks.service';
import { TaskRepository } from './task.repository';
import { TaskAccess } from '../auth/access-tree.port';

@Global()
@Module({
  imports: [TypeOrmModule.forFeature([TaskEntity])],
  controllers: [TasksController],
  providers: [TasksService, TaskRepository, { provide: TaskAccess, useExisting: TaskRepository }],
  exports: [TasksService, TaskRepository],
})
export class TasksModule {}
