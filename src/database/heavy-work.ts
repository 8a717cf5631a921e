import { Inject, Injectable } from '@nestjs/common';
import { WorkQueue } from '../common/work-queue';
import { APP_CONFIG, AppConfig } from '../config/config';

/** The one queue of expensive reads (evidence exports, full verification), sized by HEAVY_WORK_CONCURRENCY/_QUEUE. */
@Injectable()
export class HeavyWork extends WorkQueue {
  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    super('exports or verifications', config.heavyWorkConcurrency, config.heavyWorkQueue);
  }
}
