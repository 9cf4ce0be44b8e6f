import { type BeforeApplicationShutdown, Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { AppConfig, Clock, DomainError } from '@app/common';
import type { TimeSpan } from '@app/database';
import { TokensService } from '@app/tokens';
import { UsersService } from '@app/users';
import { type CapsuleOpening, checkCapsuleInput, type CapsuleInput } from './capsule-rules';
import { CAPSULE_DELIVERED, type CapsuleDelivered } from './capsules.events';
import { CapsuleInstance } from './capsule-instance';
import { type CapsuleRecord, CapsulesRepository } from './capsules.repository';
import { type CapsuleDto, toCapsuleDto } from './dto/capsule.dto';
import { nextBirthday } from './next-birthday';

/** Time capsules: sealing (paid), the owner's views, cancelling, and delivery when due. */
@Injectable()
export class CapsulesService implements BeforeApplicationShutdown {
  /** The delivery pass in progress in this process; passes run one after another. */
  private delivering: Promise<unknown> = Promise.resolve();
  /** Set at shutdown: a pass stops after its current claim, before the database closes. */
  private stopping = false;

  constructor(
    private readonly capsules: CapsulesRepository,
    private readonly users: UsersService,
    private readonly tokens: TokensService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly events: EventEmitter2,
    private readonly instance: CapsuleInstance,
  ) {}

  /**
   * Seals a capsule. In order: the input (400), the price (402), then the write; a write that
   * fails after the charge gives the tokens back.
   */
  async create(ownerId: string, input: CapsuleInput): Promise<CapsuleDto> {
    const createdAt = this.clock.now();
    const { message, opening } = checkCapsuleInput(input, createdAt);
    const deliverAt = await this.deliverAtOf(ownerId, opening, createdAt);
    const id = this.capsules.newId();
    const cost = this.config.get('CAPSULE_COST');
    const charge = cost > 0 ? await this.tokens.charge(ownerId, cost, 'capsule', id) : null;
    const capsule: CapsuleRecord = {
      id,
      ownerId,
      message,
      status: 'sealed',
      openOn: 'openOn' in opening ? opening.openOn : null,
      deliverAt,
      createdAt,
      deliveredAt: null,
      claimedBy: null,
      claimedAt: null,
    };
    await this.capsules.insert(capsule).catch(async (error: unknown) => {
      if (charge) await this.tokens.refund(charge);
      throw error;
    });
    return toCapsuleDto(capsule);
  }

  /** Deletes every capsule of the owner (their account is deleted), with no refund. */
  deleteAllOf(ownerId: string): Promise<void> {
    return this.capsules.deleteAllOwned(ownerId);
  }

  /** The owner's capsules, the latest deliverAt last. */
  async list(ownerId: string): Promise<CapsuleDto[]> {
    return (await this.capsules.listOwned(ownerId)).map(toCapsuleDto);
  }

  /** One of the owner's capsules; anyone else's is 404, as if it did not exist. */
  async get(ownerId: string, id: string): Promise<CapsuleDto> {
    const capsule = await this.capsules.findOwned(ownerId, id);
    if (!capsule) throw notFound();
    return toCapsuleDto(capsule);
  }

  /** Cancels (deletes) a sealed capsule of the owner; no refund. A delivered one is 409. */
  async cancel(ownerId: string, id: string): Promise<void> {
    if (await this.capsules.deleteSealed(ownerId, id)) return;
    const capsule = await this.capsules.findOwned(ownerId, id);
    if (!capsule) throw notFound();
    throw DomainError.conflict(
      'This capsule was already delivered; only a sealed one can be cancelled',
    );
  }

  /**
   * Opens every capsule due by the clock, one claim at a time, and announces each; resolves with
   * how many this pass opened. Passes of one process run one after another (a call during a pass
   * waits for it, then runs its own), so once it resolves nothing due is left sealed (unless the
   * app is stopping: then a pass ends after its current claim).
   *
   * The claim itself is the delivery: one conditional update turns the capsule from sealed to
   * delivered, so of several instances exactly one opens it, and an instance that dies right
   * after its claim loses only the socket notice: the owner still finds the capsule opened in
   * GET /capsules. Nothing is left half-claimed for another instance to recover.
   */
  deliverDue(): Promise<number> {
    const pass = this.delivering.then(() => this.drain());
    this.delivering = pass.catch(() => undefined);
    return pass;
  }

  /** Lets the pass in progress finish its current claim, so that its event is still emitted. */
  /** Capsules sealed in the span (cancelled ones are gone) and capsules delivered in it. */
  async countsIn(span: TimeSpan): Promise<{ sealed: number; delivered: number }> {
    const [sealed, delivered] = await Promise.all([
      this.capsules.countSealedIn(span),
      this.capsules.countDeliveredIn(span),
    ]);
    return { sealed, delivered };
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await this.delivering;
  }

  private async drain(): Promise<number> {
    let opened = 0;
    while (!this.stopping) {
      const capsule = await this.capsules.claimDue(this.clock.now(), this.instance.id);
      if (!capsule) return opened;
      opened += 1;
      const event: CapsuleDelivered = { ownerId: capsule.ownerId, capsule: toCapsuleDto(capsule) };
      this.events.emit(CAPSULE_DELIVERED, event);
    }
    return opened;
  }

  private async deliverAtOf(ownerId: string, opening: CapsuleOpening, now: Date): Promise<Date> {
    if ('deliverAt' in opening) return opening.deliverAt;
    const owner = await this.users.getById(ownerId);
    return nextBirthday(owner.birthDate, now);
  }
}

function notFound(): DomainError {
  return DomainError.notFound('No such capsule');
}
