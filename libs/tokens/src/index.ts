export { BalanceDto, LedgerEntryDto, LedgerPageDto, toLedgerEntry } from './dto/tokens.dto';
export { LEDGER_REASONS, type LedgerReason } from './token-schemas';
export { TOKENS_BALANCE_CHANGED, type TokensBalanceChanged } from './tokens.events';
export { TokensModule } from './tokens.module';
export type { LedgerRecord, LedgerTotals } from './tokens.repository';
export { type Charge, insufficientTokens, TokensService } from './tokens.service';
