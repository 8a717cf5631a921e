import { Inject, Injectable } from '@nestjs/common';
import { WorkQueue } from '../common/work-queue';
import { APP_CONFIG, AppConfig } from '../config/config';

/**
 * The bounded line of image hashings, sized like the heavy-work queue (HEAVY_WORK_CONCURRENCY/_QUEUE) but its own:
 * decoding runs on libuv's small thread pool, shared with the client-secret hashing of every token request, and a
 * burst of uploads should meet its own 503 rather than push police exports out of theirs.
 */
@Injectable()
export class ImageHashing extends WorkQueue {
  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    super('image hashings', config.heavyWorkConcurrency, config.heavyWorkQueue);
  }
}
