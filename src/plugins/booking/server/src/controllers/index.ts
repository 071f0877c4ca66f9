import performance from './performance';
import reservation from './reservation';
import show from './show';
import venue from './venue';

export default { performance, reservation, show, venue };
