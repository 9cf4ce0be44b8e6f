import type { Mail } from '@app/mail';
import { escapeHtml } from '@app/mail';

export interface ResetMailInput {
  readonly to: string;
  readonly displayName: string;
  readonly link: string;
  readonly ttlMinutes: number;
}

/** The reset mail, in plain text and simple HTML; the display name is escaped, never markup. */
export function passwordResetMail({ to, displayName, link, ttlMinutes }: ResetMailInput): Mail {
  const validity = `This link works once, within ${ttlMinutes} minutes.`;
  const ignore = 'If you did not ask for it, ignore this mail: your password stays as it is.';
  return {
    to,
    subject: 'Reset your DobKonektor password',
    text: [
      `Hello ${displayName},`,
      '',
      'Someone (we hope you) asked to reset the password of your DobKonektor account.',
      'Choose a new password here:',
      '',
      link,
      '',
      validity,
      ignore,
      '',
    ].join('\n'),
    html: [
      '<!doctype html>',
      '<html><body>',
      `<p>Hello ${escapeHtml(displayName)},</p>`,
      '<p>Someone (we hope you) asked to reset the password of your DobKonektor account.</p>',
      `<p><a href="${escapeHtml(link)}">Choose a new password</a></p>`,
      `<p>${validity}<br>${ignore}</p>`,
      '</body></html>',
      '',
    ].join('\n'),
  };
}
