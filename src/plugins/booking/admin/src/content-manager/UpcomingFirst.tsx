import * as React from 'react';
import { useLocation, useNavigate } from 'react-router-dom';
import { MODEL } from './constants';

/** Set once the performances list has been opened from today in this tab. */
const APPLIED_KEY = 'booking-performances-upcoming';

/**
 * The Content Manager sorts a list by a field, nothing relative to now: by start, a season's past
 * performances push tonight to page 3. When an editor first opens the performances list in a tab
 * without a filter of their own, this adds the filter "starts at or after today" (a chip they can
 * remove to see the past ones, and which is not added again in that tab), the list still by start.
 * Injected in the list view's actions zone, where it renders nothing.
 */
export const UpcomingFirst = () => {
  const location = useLocation();
  const navigate = useNavigate();
  const model = decodeURIComponent(location.pathname).match(/collection-types\/([^/?]+)/)?.[1] ?? '';
  React.useEffect(() => {
    if (model !== MODEL.performance) return;
    const params = new URLSearchParams(location.search);
    if ([...params.keys()].some((key) => key.startsWith('filters'))) return;
    try {
      if (window.sessionStorage.getItem(APPLIED_KEY)) return;
      window.sessionStorage.setItem(APPLIED_KEY, '1');
    } catch {
      return; // no storage: no way to remember that the editor removed it, so never add it
    }
    const today = new Date();
    today.setHours(0, 0, 0, 0);
    params.set('filters[$and][0][starts_at][$gte]', today.toISOString());
    params.set('sort', 'starts_at:ASC');
    params.set('page', '1');
    navigate({ pathname: location.pathname, search: `?${params.toString()}` }, { replace: true });
  }, [model, location.pathname, location.search, navigate]);
  return null;
};
