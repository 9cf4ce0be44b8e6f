import { DomainError, type ErrorDetail } from '@app/common';

/** Longest text of a message, in characters (Unicode code points), after normalization. */
export const MESSAGE_TEXT_MAX = 1000;

/** A client's idempotency key: 1–100 of letters, digits, ".", "_", ":" and "-" (UUIDs fit). */
export const CLIENT_MESSAGE_ID_PATTERN = '^[A-Za-z0-9._:-]{1,100}$';
const CLIENT_MESSAGE_ID = new RegExp(CLIENT_MESSAGE_ID_PATTERN);

/** How long a message stays in its room's conversation: lists show only younger messages. */
export const CONVERSATION_WINDOW_MS = 24 * 60 * 60 * 1000;

/** Unicode control characters (C0, DEL, C1) except tab and line feed, which are kept. */
const CONTROL = /[^\P{Cc}\t\n]/gu;

export type MessageText = { ok: true; text: string } | { ok: false; problem: string };

/**
 * The text a message stores, from what a client sent: line breaks unified to "\n" (CRLF and lone
 * CR alike), every other control character but tab removed, then trimmed. It must then hold 1 to
 * MESSAGE_TEXT_MAX characters, counted as code points so that an emoji is one character. The text
 * stays plain text: nothing is escaped here, clients render it as text.
 */
export function normalizeMessageText(raw: unknown): MessageText {
  if (typeof raw !== 'string') return { ok: false, problem: 'text must be a string' };
  const text = raw.replace(/\r\n?/g, '\n').replace(CONTROL, '').trim();
  const length = Array.from(text).length;
  if (length === 0) {
    return { ok: false, problem: 'text must hold at least 1 character besides spaces' };
  }
  if (length > MESSAGE_TEXT_MAX) {
    return { ok: false, problem: `text must be at most ${MESSAGE_TEXT_MAX} characters` };
  }
  return { ok: true, text };
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
