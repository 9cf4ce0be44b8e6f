import { Module } from '@nestjs/common';
import { Mailer } from './mailer';

/** Outgoing mail (SMTP, or .eml files in development); features import it for the Mailer. */
@Module({ providers: [Mailer], exports: [Mailer] })
export class MailModule {}
