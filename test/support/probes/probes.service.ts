import { Injectable, Logger } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Request } from 'express';
import type { Model } from 'mongoose';
import { setTimeout as sleep } from 'node:timers/promises';
import { DomainError } from '@app/common';
import { duplicateKeyFields } from '@app/database';
import type { CreateProbeDto } from './create-probe.dto';
import { Probe } from './probe.schema';

export interface ProbeView {
  id: string;
  name: string;
  tags: string[];
}

export interface RequestView {
  ip: string | undefined;
  protocol: string;
  cookies: unknown;
}

export const INTERNAL_FAILURE_DETAIL = 'probe failure at /srv/secret/path: password=hunter2';

@Injectable()
export class ProbesService {
  private inFlight = 0;
  private readonly logger = new Logger(ProbesService.name);

  constructor(@InjectModel(Probe.name) private readonly probes: Model<Probe>) {}

  async create(input: CreateProbeDto): Promise<ProbeView> {
    try {
      const created = await this.probes.create({ name: input.name, tags: input.tags ?? [] });
      return { id: created.id, name: created.name, tags: created.tags };
    } catch (error) {
      const fields = duplicateKeyFields(error);
      if (fields === null) throw error;
      throw DomainError.conflict(
        `A resource with the same ${fields.join(', ')} already exists`,
        fields.map((field) => ({ field, message: 'is already taken' })),
      );
    }
  }

  async find(id: string): Promise<ProbeView> {
    const found = await this.probes.findById(id).lean();
    if (found === null) throw DomainError.notFound('No probe with this id');
    return { id: found._id.toHexString(), name: found.name, tags: found.tags };
  }

  fail(): never {
    throw new Error(INTERNAL_FAILURE_DETAIL);
  }

  async slow(ms: number): Promise<{ waitedMs: number }> {
    this.inFlight += 1;
    try {
      await sleep(ms);
      return { waitedMs: ms };
    } finally {
      this.inFlight -= 1;
    }
  }

  inFlightCount(): { count: number } {
    return { count: this.inFlight };
  }

  describeRequest(req: Request): RequestView {
    return { ip: req.ip, protocol: req.protocol, cookies: req.cookies };
  }

  logBody(body: unknown): void {
    this.logger.log({ body }, 'probe body received');
  }
}
