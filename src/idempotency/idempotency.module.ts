import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { APP_CONFIG, AppConfig } from '../config/config';
import { IdempotencyInterceptor } from './idempotency.interceptor';
import { IdempotencyPurge } from './idempotency-purge';
import { IdempotencySecrets } from './idempotency-secrets';

/** Idempotency-Key on every write: the interceptor, the pepper its records are sealed with, and their purge. */
@Module({
  providers: [
    {
      provide: IdempotencySecrets,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => IdempotencySecrets.fromFile(config.idempotencyPepperFile),
    },
    IdempotencyPurge,
    { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
  ],
  exports: [IdempotencyPurge],
})
export class IdempotencyModule {}
