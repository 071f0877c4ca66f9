import access from './access';
import availability from './availability';
import demoData from './demo-data';
import performances from './performances';
import reservations from './reservations';
import schema from './schema';
import tokens from './tokens';

export default {
  access,
  availability,
  'demo-data': demoData,
  performances,
  reservations,
  schema,
  tokens,
};
