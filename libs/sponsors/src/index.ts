export { SponsorViewDto } from './dto/sponsor-view.dto';
export {
  SPONSOR_STATUSES,
  type SponsorChanges,
  type SponsorCounts,
  type SponsorInput,
  type SponsorRecord,
  type SponsorStats,
  type SponsorStatus,
  sponsorStatus,
  type SponsorView,
  type SponsorViewer,
  toSponsorView,
} from './sponsor.record';
export {
  DEFAULT_DISPLAY_SECONDS,
  DEFAULT_WEIGHT,
  isRoomKey,
  isSponsorUrl,
  SPONSOR_DISPLAY_SECONDS_MAX,
  SPONSOR_NAME_MAX,
  SPONSOR_TARGETS_MAX,
  SPONSOR_TEXT_MAX,
  SPONSOR_URL_MAX,
  SPONSOR_URL_PATTERN,
  SPONSOR_WEIGHT_MAX,
} from './sponsor-rules';
export { SponsorsModule } from './sponsors.module';
export { sponsorChanges, SponsorsService } from './sponsors.service';
export { CryptoRandomSource, pickWeighted, RandomSource } from './weighted-pick';
