export { CAPSULE_MESSAGE_MAX, checkCapsuleInput, DELIVER_AT_RULE } from './capsule-rules';
export { type OpenOn, OPEN_ON_VALUES } from './capsule.schema';
export { CAPSULE_DELIVERED, type CapsuleDelivered } from './capsules.events';
export { CapsulesModule } from './capsules.module';
export { CAPSULE_DELIVERY_INTERVAL, CAPSULE_DELIVERY_PERIOD_MS } from './capsules.scheduler';
export { CapsulesService } from './capsules.service';
export { CapsuleDto, CapsuleListDto, toCapsuleDto } from './dto/capsule.dto';
export { nextBirthday } from './next-birthday';
