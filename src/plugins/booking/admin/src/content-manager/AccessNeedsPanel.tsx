import { Typography } from '@strapi/design-system';
import { AccessNeedsSign } from '../components/AccessNeedsSign';
import { useT } from '../utils';
import type { AccessNeed } from '../../../shared/contracts';

/**
 * A reservation's access needs in words ("♿ Sedia a rotelle · 👁 Vista"), as the door reads them,
 * instead of the JSON editor the Content Manager gives a list (hidden in the form: it is not
 * changed there).
 */
export const AccessNeeds = ({ document }: { document?: Record<string, unknown> | null }) => {
  const t = useT();
  const needs = Array.isArray(document?.access_needs) ? (document.access_needs as AccessNeed[]) : [];
  if (needs.length === 0) {
    return (
      <Typography textColor="neutral600" data-testid="reservation-access-needs">
        {t('cm.access.none', 'None given')}
      </Typography>
    );
  }
  return (
    <div data-testid="reservation-access-needs">
      <AccessNeedsSign needs={needs} compact />
    </div>
  );
};
