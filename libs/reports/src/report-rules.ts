import { DomainError, normalizePlainText } from '@app/common';

/** Longest reason of a report, in characters (code points), after normalization. */
export const REPORT_REASON_MAX = 500;

/** Longest note of a resolution, in characters (code points), after normalization. */
export const RESOLUTION_NOTE_MAX = 500;

/** A reason as stored, by the shared plain-text rule; otherwise VALIDATION_FAILED naming it. */
export function checkReportReason(raw: unknown): string {
  const reason = normalizePlainText(raw, 'reason', REPORT_REASON_MAX);
  if (!reason.ok) throw DomainError.validation([{ field: 'reason', message: reason.problem }]);
  return reason.text;
}

/** An admin's note as stored (absent or null: none), by the same plain-text rule. */
export function checkResolutionNote(raw: unknown): string | null {
  if (raw === undefined || raw === null) return null;
  const note = normalizePlainText(raw, 'note', RESOLUTION_NOTE_MAX);
  if (!note.ok) throw DomainError.validation([{ field: 'note', message: note.problem }]);
  return note.text;
}
