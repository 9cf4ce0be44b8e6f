import { DomainError } from '@app/common';
import { checkMessageInput, MESSAGE_TEXT_MAX, normalizeMessageText } from './message-rules';

describe('normalizeMessageText', () => {
  it('trims surrounding spaces and line breaks', () => {
    expect(normalizeMessageText('  \n hello there \t\n')).toEqual({
      ok: true,
      text: 'hello there',
    });
  });

  it('removes control characters (C0, DEL, C1) but keeps tab and line feed inside the text', () => {
    const raw = 'a\u0000b\u0007c\u001Bd\u007Fe\u0085f\u009Fg\th\ni';
    expect(normalizeMessageText(raw)).toEqual({ ok: true, text: 'abcdefg\th\ni' });
  });

  it('turns CRLF and lone CR into a line feed', () => {
    expect(normalizeMessageText('one\r\ntwo\rthree')).toEqual({
      ok: true,
      text: 'one\ntwo\nthree',
    });
  });

  it('keeps markup as plain text, unescaped', () => {
    expect(normalizeMessageText('<b>hi</b> & "you"')).toEqual({
      ok: true,
      text: '<b>hi</b> & "you"',
    });
  });

  it.each(['', '   ', '\n\t\n', '\u0000\u0001', ' \u0007 '])(
    'refuses %j: nothing left after normalization',
    (raw) => {
      expect(normalizeMessageText(raw)).toEqual({
        ok: false,
        problem: 'text must hold at least 1 character besides spaces',
      });
    },
  );

  it(`accepts ${MESSAGE_TEXT_MAX} characters and refuses one more, counted after trimming`, () => {
    const max = 'x'.repeat(MESSAGE_TEXT_MAX);
    expect(normalizeMessageText(`  ${max}\u0000  `)).toEqual({ ok: true, text: max });
    expect(normalizeMessageText(`${max}y`)).toEqual({
      ok: false,
      problem: `text must be at most ${MESSAGE_TEXT_MAX} characters`,
    });
  });

  it('counts an emoji (two UTF-16 units) as one character', () => {
    const emojis = '😀'.repeat(MESSAGE_TEXT_MAX);
    expect(normalizeMessageText(emojis)).toEqual({ ok: true, text: emojis });
  });

  it.each([undefined, null, 42, ['a'], { text: 'a' }])('refuses a non-string %j', (raw) => {
    expect(normalizeMessageText(raw)).toEqual({ ok: false, problem: 'text must be a string' });
  });
});

describe('checkMessageInput', () => {
  function failure(input: Parameters<typeof checkMessageInput>[0]): DomainError {
    try {
      checkMessageInput(input);
    } catch (error) {
      if (error instanceof DomainError) return error;
      throw error;
    }
    throw new Error('expected a validation failure');
  }

  it('answers the normalized text and the client key (null when absent or null)', () => {
    expect(checkMessageInput({ text: ' hi ', clientMessageId: 'abc-1:2_3.4' })).toEqual({
      text: 'hi',
      clientMessageId: 'abc-1:2_3.4',
    });
    expect(checkMessageInput({ text: 'hi' })).toEqual({ text: 'hi', clientMessageId: null });
    expect(checkMessageInput({ text: 'hi', clientMessageId: null })).toEqual({
      text: 'hi',
      clientMessageId: null,
    });
  });

  it('names every bad field in one VALIDATION_FAILED', () => {
    const error = failure({ text: ' ', clientMessageId: 'has space' });
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.details.map((d) => d.field)).toEqual(['text', 'clientMessageId']);
  });

  it.each(['', 'x'.repeat(101), 'ünïcode', 'a/b', 42])('refuses the client key %j', (id) => {
    expect(failure({ text: 'hi', clientMessageId: id }).details).toEqual([
      {
        field: 'clientMessageId',
        message: 'clientMessageId must be 1 to 100 letters, digits, ".", "_", ":" or "-"',
      },
    ]);
  });
});
