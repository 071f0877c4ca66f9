import * as React from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { useAuth } from '@strapi/strapi/admin';
import { Flex, LinkButton } from '@strapi/design-system';
import { useT } from '../utils';
import { PLUGIN_ID } from '../pluginId';

/** Set once a door-only user has been taken to the scanner in this tab: Home stays reachable after. */
const LANDED_KEY = 'booking-door-landed';

/**
 * Someone whose every permission is one of the booking plugin's door actions (the Door staff role):
 * nothing on Strapi's home is for them.
 */
export const isDoorOnly = (actions: string[]) =>
  actions.length > 0 && actions.every((action) => action.startsWith(`plugin::${PLUGIN_ID}.`));

/**
 * The home page's door widget: the scanner, the door list and the box office one tap away. Door
 * staff, who may do nothing else, are taken straight to the scanner when they land on the home
 * page after logging in (once per tab: the Home link then shows this widget).
 */
const DoorWidget = () => {
  const t = useT();
  const navigate = useNavigate();
  const permissions = useAuth('DoorWidget', (state) => state.permissions);
  const actions = React.useMemo(() => permissions.map((p) => p.action), [permissions]);
  React.useEffect(() => {
    if (!isDoorOnly(actions)) return;
    try {
      if (window.sessionStorage.getItem(LANDED_KEY)) return;
      window.sessionStorage.setItem(LANDED_KEY, '1');
    } catch {
      // No storage: go to the scanner every time Home opens.
    }
    navigate(`/plugins/${PLUGIN_ID}`, { replace: true });
  }, [actions, navigate]);
  const may = (action: string) => actions.includes(`plugin::${PLUGIN_ID}.${action}`);
  return (
    <Flex direction="column" alignItems="stretch" gap={2} data-testid="door-widget">
      <LinkButton tag={Link} to={`/plugins/${PLUGIN_ID}`} size="L">
        {t('widget.scanner', 'Scan tickets')}
      </LinkButton>
      {may('door-list.read') && (
        <LinkButton tag={Link} to={`/plugins/${PLUGIN_ID}/door-list`} size="L" variant="secondary">
          {t('doorList.title', 'Door list')}
        </LinkButton>
      )}
      {may('box-office.create') && (
        <LinkButton tag={Link} to={`/plugins/${PLUGIN_ID}/box-office`} size="L" variant="secondary">
          {t('boxOffice.title', 'Box office')}
        </LinkButton>
      )}
    </Flex>
  );
};

export default DoorWidget;
