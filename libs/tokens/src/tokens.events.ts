/** Emitted after every balance change (the realtime gateway tells the user's sockets). */
export const TOKENS_BALANCE_CHANGED = 'tokens.balance-changed';

export interface TokensBalanceChanged {
  userId: string;
  balance: number;
}
