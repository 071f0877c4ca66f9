import access from './access';
import availability from './availability';
import catalogue from './catalogue';
import checkIn from './check-in';
import demoData from './demo-data';
import editorViews from './editor-views';
import labels from './labels';
import mailer from './mailer';
import performances from './performances';
import publicCache from './public-cache';
import rateLimit from './rate-limit';
import reservations from './reservations';
import schema from './schema';
import tokens from './tokens';

export default {
  access,
  availability,
  catalogue,
  'check-in': checkIn,
  'demo-data': demoData,
  'editor-views': editorViews,
  labels,
  mailer,
  performances,
  'public-cache': publicCache,
  'rate-limit': rateLimit,
  reservations,
  schema,
  tokens,
};
