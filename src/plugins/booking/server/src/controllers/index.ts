import boxOffice from './box-office';
import checkIn from './check-in';
import doorApp from './door-app';
import doorList from './door-list';
import messages from './messages';
import openapi from './openapi';
import performance from './performance';
import performanceCancel from './performance-cancel';
import reservation from './reservation';
import show from './show';
import venue from './venue';
import visitorData from './visitor-data';
import waitlist from './waitlist';

export default {
  'box-office': boxOffice,
  'check-in': checkIn,
  'door-app': doorApp,
  'door-list': doorList,
  // When the evening changes (issue 22).
  messages,
  openapi,
  performance,
  'performance-cancel': performanceCancel,
  reservation,
  show,
  venue,
  'visitor-data': visitorData,
  waitlist,
};
