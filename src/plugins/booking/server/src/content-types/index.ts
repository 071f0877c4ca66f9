import show from './show';
import venue from './venue';
import performance from './performance';
import reservation from './reservation';
import reservationToken from './reservation-token';
import checkIn from './check-in';
import outboxMessage from './outbox-message';
import scan from './scan';
import webhook from './webhook';
import webhookDelivery from './webhook-delivery';
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
  webhook,
  'webhook-delivery': webhookDelivery,
  'waitlist-entry': waitlistEntry,
};
