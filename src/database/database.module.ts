import { Global, Module } from '@nestjs/common';
import { RequestActivity } from '../common/request-activity';
import { HeavyWork } from './heavy-work';
import { TransactionService } from './transaction.service';

@Global()
@Module({
  providers: [TransactionService, HeavyWork, RequestActivity],
  exports: [TransactionService, HeavyWork, RequestActivity],
})
export class DatabaseModule {}
