import { useIntl } from 'react-intl';
import { getTranslation } from '../utils';
import type { AccessNeed } from '../../../shared/contracts';

/** A symbol a person at the door reads at a glance, always with the words beside it. */
const ICONS: Record<AccessNeed, string> = { wheelchair: '♿', hearing: '🦻', sight: '👁', other: 'ⓘ' };
const WORDS: Record<AccessNeed, string> = { wheelchair: 'Wheelchair', hearing: 'Hearing', sight: 'Sight', other: 'Other needs' };

export const useAccessNeedLabel = () => {
  const { formatMessage } = useIntl();
  return (need: AccessNeed) => formatMessage({ id: getTranslation(`access.${need}`), defaultMessage: WORDS[need] });
};

/**
 * The party's access needs as a clear sign: an icon and the words, on a white panel with a thick
 * border so it stands out on any colour of the scan answer. Nothing when the list is empty.
 */
export const AccessNeedsSign = ({ needs, compact = false }: { needs: AccessNeed[]; compact?: boolean }) => {
  const { formatMessage } = useIntl();
  const label = useAccessNeedLabel();
  if (needs.length === 0) return null;
  const words = needs.map((need) => `${ICONS[need]} ${label(need)}`);
  if (compact) return <span data-testid="access-needs">{words.join(' · ')}</span>;
  return (
    <div
      data-testid="access-needs"
      role="note"
      style={{ background: '#fff', color: '#1a1a1a', border: '4px solid #1d4ed8', borderRadius: 8, padding: '8px 12px', marginTop: 8 }}
    >
      <strong style={{ display: 'block', fontSize: 16 }}>
        {formatMessage({ id: getTranslation('access.title'), defaultMessage: 'Access needs' })}
      </strong>
      <span style={{ fontSize: 24, fontWeight: 700 }}>{words.join(' · ')}</span>
    </div>
  );
};
