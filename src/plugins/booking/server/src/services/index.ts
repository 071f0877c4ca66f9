import accessCache from './access-cache';
import admission from './admission';
import availability from './availability';
import boxOffice from './box-office';
import cancellations from './cancellations';
import catalogue from './catalogue';
import demoData from './demo-data';
import door from './door';
import doorList from './door-list';
import doorReports from './door-reports';
import doorSnapshot from './door-snapshot';
import events from './events';
import editorViews from './editor-views';
import labels from './labels';
import mailer from './mailer';
import metrics from './metrics';
import openapi from './openapi';
import operations from './operations';
import performanceCancel from './performance-cancel';
import performances from './performances';
import privacy from './privacy';
import publicCache from './public-cache';
import rateLimit from './rate-limit';
import reminders from './reminders';
import reservations from './reservations';
import schema from './schema';
import scheduleChanges from './schedule-changes';
import audienceMessages from './audience-messages';
import seatLedger from './seat-ledger';
import roles from './roles';
import tokens from './tokens';
import webhooks from './webhooks';
import waitlist from './waitlist';

export default {
  'access-cache': accessCache,
  admission,
  availability,
  'box-office': boxOffice,
  cancellations,
  catalogue,
  'demo-data': demoData,
  door,
  'door-list': doorList,
  'door-reports': doorReports,
  'door-snapshot': doorSnapshot,
  events,
  'editor-views': editorViews,
  labels,
  mailer,
  metrics,
  openapi,
  operations,
  'performance-cancel': performanceCancel,
  performances,
  privacy,
  'public-cache': publicCache,
  'rate-limit': rateLimit,
  reminders,
  reservations,
  schema,
  // When the evening changes (issue 22).
  'schedule-changes': scheduleChanges,
  'audience-messages': audienceMessages,
  'seat-ledger': seatLedger,
  roles,
  tokens,
  webhooks,
  waitlist,
};
