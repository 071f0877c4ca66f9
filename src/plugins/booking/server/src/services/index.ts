import access from './access';
import availability from './availability';
import catalogue from './catalogue';
import checkIn from './check-in';
import demoData from './demo-data';
import mailer from './mailer';
import performances from './performances';
import privacy from './privacy';
import publicCache from './public-cache';
import rateLimit from './rate-limit';
import reservations from './reservations';
import schema from './schema';
import staffRoles from './staff-roles';
import tokens from './tokens';

export default {
  access,
  availability,
  catalogue,
  'check-in': checkIn,
  'demo-data': demoData,
  mailer,
  performances,
  privacy,
  'public-cache': publicCache,
  'rate-limit': rateLimit,
  reservations,
  schema,
  'staff-roles': staffRoles,
  tokens,
};
