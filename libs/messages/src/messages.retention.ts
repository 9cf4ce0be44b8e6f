import { Injectable, type OnModuleInit } from '@nestjs/common';
import { AppConfig } from '@app/common';
import { MessagesRepository } from './messages.repository';

/**
 * Storage keeps messages MESSAGE_RETENTION_HOURS (at least the 24-hour window) and no longer: the
 * TTL index is set to that value before the app takes requests, rebuilt when the value changed.
 */
@Injectable()
export class MessagesRetention implements OnModuleInit {
  constructor(
    private readonly messages: MessagesRepository,
    private readonly config: AppConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.messages.ensureRetention(this.config.get('MESSAGE_RETENTION_HOURS') * 3600);
  }
}
