export {
  CreatedInviteDto,
  InviteCheckDto,
  InviteeDto,
  InviteItemDto,
  InvitePageDto,
  toCreatedInvite,
  toInviteItem,
  toInvitePage,
} from './dto/invite-views.dto';
export {
  formatInviteCode,
  generateInviteCode,
  INVITE_CODE_ALPHABET,
  normalizeInviteCode,
} from './invite-code';
export {
  type ConsumedInvite,
  INVITE_STATUSES,
  type InviteStatus,
  type InviteView,
} from './invite.record';
export { InvitesModule } from './invites.module';
export { inviteInvalid, type InviteListing, InvitesService } from './invites.service';
