import type { LoggerService } from '@nestjs/common';

export type LogLine = Record<string, unknown> & { msg?: string; level?: number };

const PINO_LEVELS = { fatal: 60, error: 50, warn: 40, log: 30, debug: 20, verbose: 10 } as const;

export class LogCapture {
  private readonly raw: string[] = [];

  write(chunk: string): void {
    this.raw.push(...chunk.split('\n').filter((line) => line.length > 0));
  }

  text(): string {
    return this.raw.join('\n');
  }

  lines(): LogLine[] {
    return this.raw.map((line) => JSON.parse(line) as LogLine);
  }

  bootLogger(): LoggerService {
    const record = (level: keyof typeof PINO_LEVELS) => (message: unknown, context?: unknown) => {
      this.write(`${JSON.stringify({ level: PINO_LEVELS[level], context, msg: message })}\n`);
    };
    return {
      fatal: record('fatal'),
      error: record('error'),
      warn: record('warn'),
      log: record('log'),
      debug: record('debug'),
      verbose: record('verbose'),
    };
  }
}
