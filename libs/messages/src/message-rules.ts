import { DomainError, type ErrorDetail, normalizePlainText, type PlainText } from '@app/common';

/** Longest text of a message, in characters (Unicode code points), after normalization. */
export const MESSAGE_TEXT_MAX = 1000;

/** A client's idempotency key: 1–100 of letters, digits, ".", "_", ":" and "-" (UUIDs fit). */
export const CLIENT_MESSAGE_ID_PATTERN = '^[A-Za-z0-9._:-]{1,100}$';
const CLIENT_MESSAGE_ID = new RegExp(CLIENT_MESSAGE_ID_PATTERN);

/** How long a message stays in its room's conversation: lists show only younger messages. */
export const CONVERSATION_WINDOW_MS = 24 * 60 * 60 * 1000;

export type MessageText = PlainText;

/**
 * The text a message stores, from what a client sent: the shared plain-text rule (control
 * characters but tab and line feed removed, trimmed, 1 to MESSAGE_TEXT_MAX code points).
 */
export function normalizeMessageText(raw: unknown): MessageText {
  return normalizePlainText(raw, 'text', MESSAGE_TEXT_MAX);
}

export function isClientMessageId(value: unknown): value is string {
  return typeof value === 'string' && CLIENT_MESSAGE_ID.test(value);
}

export interface MessageInput {
  text: unknown;
  clientMessageId?: unknown;
}

/**
 * A post's input as stored, or a VALIDATION_FAILED naming each bad field: the same check for a
 * REST body and a socket payload.
 */
export function checkMessageInput(input: MessageInput): {
  text: string;
  clientMessageId: string | null;
} {
  const details: ErrorDetail[] = [];
  const text = normalizeMessageText(input.text);
  if (!text.ok) details.push({ field: 'text', message: text.problem });
  let clientMessageId: string | null = null;
  if (isClientMessageId(input.clientMessageId)) {
    clientMessageId = input.clientMessageId;
  } else if (input.clientMessageId !== undefined && input.clientMessageId !== null) {
    details.push({
      field: 'clientMessageId',
      message: 'clientMessageId must be 1 to 100 letters, digits, ".", "_", ":" or "-"',
    });
  }
  if (!text.ok || details.length > 0) throw DomainError.validation(details);
  return { text: text.text, clientMessageId };
}
