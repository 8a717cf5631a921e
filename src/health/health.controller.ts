import { Controller, Get, Header, HttpCode } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { Public } from '../auth/decorators';
import { AppError } from '../errors/app-error';
import { metricsRegistry } from './metrics';

@ApiTags('Operations')
@Controller()
export class HealthController {
  constructor(private readonly dataSource: DataSource) {}

  @Get('health')
  @Public()
  @ApiOperation({ summary: 'Liveness: the process answers' })
  live() {
    return { status: 'ok' };
  }

  @Get('health/ready')
  @Public()
  @ApiOperation({ summary: 'Readiness: the database answers and every migration is applied' })
  async ready() {
    try {
      await this.dataSource.query('SELECT 1');
      if (await this.dataSource.showMigrations()) throw new Error('pending migrations');
    } catch {
      throw AppError.unavailable('The database is unreachable or not migrated');
    }
    return { status: 'ok', database: 'ok', migrations: 'applied' };
  }

  @Get('metrics')
  @Public()
  @HttpCode(200)
  @Header('Content-Type', 'text/plain; version=0.0.4')
  @ApiExcludeEndpoint()
  metrics() {
    return metricsRegistry.metrics();
  }
}
