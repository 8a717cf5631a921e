import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AgenciesModule } from './agencies/agencies.module';
import { AuditModule } from './audit/audit.module';
import { AuthGuard } from './auth/auth.guard';
import { AuthModule } from './auth/auth.module';
import { BootstrapModule } from './bootstrap/bootstrap.module';
import { IdempotencyModule } from './idempotency/idempotency.module';
import { MediaTypeGuard } from './common/media-type.guard';
import { ProblemDetailsFilter } from './errors/problem-details.filter';
import { RateLimitGuard } from './common/rate-limit.guard';
import { AppConfig } from './config/config';
import { ConfigModule } from './config/config.module';
import { dataSourceOptions } from './database/data-source-options';
import { DatabaseModule } from './database/database.module';
import { EvidenceRequestsModule } from './evidence-requests/evidence-requests.module';
import { HealthModule } from './health/health.module';
import { KeywordsModule } from './keywords/keywords.module';
import { LinkBatchesModule } from './link-batches/link-batches.module';
import { LinksModule } from './links/links.module';
import { MarketplacesModule } from './marketplaces/marketplaces.module';
import { StatsModule } from './stats/stats.module';
import { FingerprintsModule } from './fingerprints/fingerprints.module';
import { MatchingModule } from './matching/matching.module';
import { RelistingGroupsModule } from './relisting-groups/relisting-groups.module';
import { TakedownReportsModule } from './takedown-reports/takedown-reports.module';
import { ObservationsModule } from './observations/observations.module';
import { ClarificationsModule } from './clarifications/clarifications.module';
import { ObjectionsModule } from './objections/objections.module';
import { VerifierDownloadModule } from './verifier-download/verifier-download.module';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, databaseUrl: string): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        TypeOrmModule.forRoot({ ...dataSourceOptions(databaseUrl), retryAttempts: 3, retryDelay: 1000 }),
        DatabaseModule,
        IdempotencyModule,
        AuditModule,
        AuthModule,
        AgenciesModule,
        MarketplacesModule,
        LinkBatchesModule,
        LinksModule,
        KeywordsModule,
        StatsModule,
        MatchingModule,
        FingerprintsModule,
        TakedownReportsModule,
        ObservationsModule,
        ClarificationsModule,
        ObjectionsModule,
        RelistingGroupsModule,
        EvidenceRequestsModule,
        HealthModule,
        VerifierDownloadModule,
        BootstrapModule,
      ],
      providers: [
        // Guards run in this order: who are you, how often, what did you send.
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_GUARD, useClass: RateLimitGuard },
        { provide: APP_GUARD, useClass: MediaTypeGuard },
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
      ],
    };
  }
}
