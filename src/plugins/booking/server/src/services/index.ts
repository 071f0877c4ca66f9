import accessCache from './access-cache';
import availability from './availability';
import boxOffice from './box-office';
import catalogue from './catalogue';
import demoData from './demo-data';
import door from './door';
import doorList from './door-list';
import doorReports from './door-reports';
import events from './events';
import editorViews from './editor-views';
import labels from './labels';
import mailer from './mailer';
import metrics from './metrics';
import openapi from './openapi';
import operations from './operations';
import performances from './performances';
import privacy from './privacy';
import publicCache from './public-cache';
import rateLimit from './rate-limit';
import reminders from './reminders';
import reservations from './reservations';
import schema from './schema';
import roles from './roles';
import tokens from './tokens';
import webhooks from './webhooks';
import waitlist from './waitlist';

export default {
  'access-cache': accessCache,
  availability,
  'box-office': boxOffice,
  catalogue,
  'demo-data': demoData,
  door,
  'door-list': doorList,
  'door-reports': doorReports,
  events,
  'editor-views': editorViews,
  labels,
  mailer,
  metrics,
  openapi,
  operations,
  performances,
  privacy,
  'public-cache': publicCache,
  'rate-limit': rateLimit,
  reminders,
  reservations,
  schema,
  roles,
  tokens,
  webhooks,
  waitlist,
};
