import { Global, Module } from '@nestjs/common';
import { HeavyWork } from './heavy-work';
import { TransactionService } from './transaction.service';

@Global()
@Module({ providers: [TransactionService, HeavyWork], exports: [TransactionService, HeavyWork] })
export class DatabaseModule {}
