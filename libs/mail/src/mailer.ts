import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createTransport, type Transporter } from 'nodemailer';
import { AppConfig, Clock, DomainError } from '@app/common';

/** One mail: plain text for every client, and a simple HTML version of the same words. */
export interface Mail {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

/**
 * How mails leave: through SMTP (SMTP_URL), as .eml files in MAIL_DIR (no SMTP_URL, outside
 * production), or not at all (no SMTP_URL in production).
 */
export type MailDelivery = 'smtp' | 'file' | 'none';

export interface SentMail {
  /** The .eml file written, with the file delivery; null through SMTP. */
  readonly file: string | null;
}

/** The raw RFC 822 message nodemailer's stream transport hands back with `buffer: true`. */
interface StreamedMessage {
  message: Buffer;
}

/** Sends mail through the configured delivery. Nothing here logs a mail's body or SMTP_URL. */
@Injectable()
export class Mailer implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly delivery: MailDelivery;
  private readonly transport: Transporter | null;
  private readonly logger = new Logger('Mail');

  constructor(
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {
    const smtpUrl = config.get('SMTP_URL');
    if (smtpUrl !== undefined) {
      this.delivery = 'smtp';
      this.transport = createTransport(smtpUrl);
    } else if (!config.isProduction) {
      this.delivery = 'file';
      this.transport = createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
    } else {
      this.delivery = 'none';
      this.transport = null;
    }
  }

  /** Whether a mail can be sent at all. */
  get available(): boolean {
    return this.transport !== null;
  }

  onApplicationBootstrap(): void {
    if (this.delivery === 'file') {
      this.logger.log(`SMTP_URL is not set: mails are written as .eml files to ${this.directory}`);
    } else if (this.delivery === 'none') {
      this.logger.warn('SMTP_URL is not set: no mail can be sent (password reset answers 503)');
    }
  }

  onApplicationShutdown(): void {
    this.transport?.close();
  }

  private get directory(): string {
    return resolve(this.config.get('MAIL_DIR'));
  }

  /** Sends the mail; SERVICE_UNAVAILABLE when no delivery is configured. */
  async send(mail: Mail): Promise<SentMail> {
    if (this.transport === null) {
      throw new DomainError(
        'SERVICE_UNAVAILABLE',
        'Mail cannot be sent: no SMTP server is configured',
      );
    }
    const info = (await this.transport.sendMail({
      from: this.config.get('MAIL_FROM'),
      to: mail.to,
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
    })) as unknown;
    if (this.delivery !== 'file') return { file: null };
    const file = await this.writeEml((info as StreamedMessage).message);
    this.logger.log(`Mail "${mail.subject}" to ${mail.to} written to ${file}`);
    return { file };
  }

  /**
   * Written under a unique name (the time first, so a listing sorts by it), and renamed into place
   * once complete: a reader never sees half a mail.
   */
  private async writeEml(message: Buffer): Promise<string> {
    await mkdir(this.directory, { recursive: true });
    const stamp = this.clock.now().toISOString().replace(/[:.]/g, '-');
    const file = join(this.directory, `${stamp}-${randomBytes(6).toString('hex')}.eml`);
    await writeFile(`${file}.partial`, message, { flag: 'wx' });
    await rename(`${file}.partial`, file);
    return file;
  }
}
