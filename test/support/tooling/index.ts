// Shared by the tests, bench/ and scripts/: API processes, scratch databases and free ports.
export { ApiProcess, listings } from './api-process';
export type { Creds, Json } from './api-process';
export { freePort } from './ports';
export { adminQuery, withDatabase } from './postgres';
export { withScratchDatabase } from './scratch-database';
export { COUNT_MATCHING_JOBS, untilMatchingJobsDone } from './matching-jobs';
export type { ScratchDatabase } from './scratch-database';
