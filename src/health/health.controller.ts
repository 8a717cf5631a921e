import { Controller, Get, Header, HttpCode } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { Public } from '../auth/decorators';
import { AppError } from '../errors/app-error';
import { ApiProblems } from '../openapi/problems';
import { LivenessResponseDto, ReadinessResponseDto } from './dto/health.dto';
import { metricsRegistry } from './metrics';

/** The Prometheus text exposition format, version 0.0.4. */
const PROMETHEUS_TEXT = 'text/plain; version=0.0.4';

@ApiTags('Operations')
@Controller()
export class HealthController {
  constructor(private readonly dataSource: DataSource) {}

  @Get('health')
  @Public()
  @ApiOperation({
    summary: 'Liveness: the process answers',
    description: 'Touches nothing else: a 200 says only that the process is up.',
  })
  @ApiOkResponse({ type: LivenessResponseDto })
  live(): LivenessResponseDto {
    return { status: 'ok' };
  }

  @Get('health/ready')
  @Public()
  @ApiOperation({
    summary: 'Readiness: the database answers and every migration is applied',
    description: 'Send traffic to this instance only while it answers 200.',
  })
  @ApiOkResponse({ type: ReadinessResponseDto, description: 'Ready for traffic' })
  @ApiProblems([
    503,
    'Not ready: the database is unreachable or a migration is pending; retry after Retry-After seconds',
  ])
  async ready(): Promise<ReadinessResponseDto> {
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
  @Header('Content-Type', PROMETHEUS_TEXT)
  @ApiOperation({
    summary: 'Metrics in the Prometheus text format',
    description:
      'Process metrics, and `http_requests_total` / `http_request_duration_seconds` labelled by method, route pattern and status.',
  })
  @ApiProduces('text/plain')
  @ApiOkResponse({
    description: `Prometheus text exposition (\`${PROMETHEUS_TEXT}\`)`,
    schema: { type: 'string', example: 'http_requests_total{method="GET",route="/health",status="200"} 3\n' },
  })
  metrics(): Promise<string> {
    return metricsRegistry.metrics();
  }
}
