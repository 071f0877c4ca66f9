import show from './show';
import venue from './venue';
import performance from './performance';
import reservation from './reservation';
import reservationToken from './reservation-token';
import checkIn from './check-in';
import outboxMessage from './outbox-message';
import scan from './scan';
import waitlistEntry from './waitlist-entry';

export default {
  show,
  venue,
  performance,
  reservation,
  'reservation-token': reservationToken,
  'check-in': checkIn,
  'outbox-message': outboxMessage,
  scan,
  'waitlist-entry': waitlistEntry,
};
