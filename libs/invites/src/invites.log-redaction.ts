import { defineLogRedaction } from '@app/common';

/** An invite code in a path (/invites/<code>, /invites/<code>/check) is a secret itself. */
export const INVITES_LOG_REDACTION = defineLogRedaction({
  pathSecrets: [/(\/invites\/)[^/?#]+/],
});
