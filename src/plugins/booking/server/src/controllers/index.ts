import checkIn from './check-in';
import openapi from './openapi';
import performance from './performance';
import reservation from './reservation';
import show from './show';
import venue from './venue';
import visitorData from './visitor-data';
import waitlist from './waitlist';

export default { 'check-in': checkIn, openapi, performance, reservation, show, venue, 'visitor-data': visitorData, waitlist };
