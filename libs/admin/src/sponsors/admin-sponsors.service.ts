import { Injectable } from '@nestjs/common';
import { type AuthUser, Clock, DEFAULT_PAGE_SIZE, mapPage } from '@app/common';
import { type SponsorRecord, sponsorChanges, SponsorsService } from '@app/sponsors';
import { AuditService } from '../audit/audit.service';
import {
  type CreateSponsorDto,
  type SponsorDto,
  type SponsorListQueryDto,
  type SponsorPageDto,
  type SponsorStatsDto,
  toSponsorResponse,
  type UpdateSponsorDto,
} from './admin-sponsors.dto';

function target(sponsor: SponsorRecord): { type: string; id: string } {
  return { type: 'sponsor', id: sponsor.id };
}

/** Sponsor management for admins: each change goes through SponsorsService, then the audit log. */
@Injectable()
export class AdminSponsorsService {
  constructor(
    private readonly sponsors: SponsorsService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async create(actor: AuthUser, input: CreateSponsorDto): Promise<SponsorDto> {
    const sponsor = await this.sponsors.create(input, actor.id);
    await this.audit.record({
      actorId: actor.id,
      action: 'sponsor.create',
      target: target(sponsor),
      details: {
        name: sponsor.name,
        linkUrl: sponsor.linkUrl,
        startsAt: sponsor.startsAt,
        endsAt: sponsor.endsAt,
        active: sponsor.active,
        weight: sponsor.weight,
        roomKinds: sponsor.roomKinds,
        roomKeys: sponsor.roomKeys,
      },
    });
    return toSponsorResponse(sponsor, this.clock.now());
  }

  async list(query: SponsorListQueryDto): Promise<SponsorPageDto> {
    const now = this.clock.now();
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const page = await this.sponsors.list(query.cursor, limit, query.includeDeleted);
    return mapPage(page, (sponsor) => toSponsorResponse(sponsor, now));
  }

  async update(actor: AuthUser, id: string, input: UpdateSponsorDto): Promise<SponsorDto> {
    const changes = sponsorChanges(input);
    const sponsor = await this.sponsors.update(id, changes);
    await this.audit.record({
      actorId: actor.id,
      action: 'sponsor.update',
      target: target(sponsor),
      // The changed fields as stored (names and texts normalized), not as sent.
      details: {
        name: sponsor.name,
        changes: Object.fromEntries(
          Object.keys(changes).map((field) => [field, sponsor[field as keyof typeof sponsor]]),
        ),
      },
    });
    return toSponsorResponse(sponsor, this.clock.now());
  }

  async delete(actor: AuthUser, id: string): Promise<void> {
    const sponsor = await this.sponsors.delete(id);
    await this.audit.record({
      actorId: actor.id,
      action: 'sponsor.delete',
      target: target(sponsor),
      details: { name: sponsor.name },
    });
  }

  stats(id: string): Promise<SponsorStatsDto> {
    return this.sponsors.stats(id);
  }
}
