import type { CapsuleDto } from './dto/capsule.dto';

/** Emitted once per capsule, by the instance whose claim opened it (the gateway tells its owner). */
export const CAPSULE_DELIVERED = 'capsule.delivered';

export interface CapsuleDelivered {
  ownerId: string;
  capsule: CapsuleDto;
}
