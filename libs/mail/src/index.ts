export { escapeHtml } from './html';
export { MailModule } from './mail.module';
export { type Mail, type MailDelivery, Mailer, type SentMail } from './mailer';
