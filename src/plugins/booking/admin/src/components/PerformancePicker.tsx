import * as React from 'react';
import { useIntl } from 'react-intl';
import { useFetchClient } from '@strapi/strapi/admin';
import { Field, SingleSelect, SingleSelectOption } from '@strapi/design-system';
import { API } from '../api';
import { getTranslation } from '../utils';
import type { DoorPerformance } from '../../../shared/contracts';

/**
 * The performances around now, with the one whose check-in window is open chosen by default.
 * `performances` is null while loading; `failed` is true when they could not be read.
 */
export const useDoorPerformances = () => {
  const { get } = useFetchClient();
  const [performances, setPerformances] = React.useState<DoorPerformance[] | null>(null);
  const [performance, setPerformance] = React.useState('');
  const [failed, setFailed] = React.useState(false);
  React.useEffect(() => {
    get<{ data: DoorPerformance[] }>(API.doorPerformances)
      .then(({ data }) => {
        setPerformances(data.data);
        // A link from a performance's edit view names it (?performance=documentId).
        const asked = new URLSearchParams(window.location.search).get('performance');
        const open = data.data.find((p) => p.documentId === asked) ?? data.data.find((p) => p.check_in_open) ?? data.data[0];
        if (open) setPerformance(open.documentId);
      })
      .catch(() => setFailed(true));
  }, [get]);
  return { performances, performance, setPerformance, failed };
};

export const PerformancePicker = ({
  performances,
  value,
  onChange,
}: {
  performances: DoorPerformance[];
  value: string;
  onChange: (documentId: string) => void;
}) => {
  const { formatMessage, formatTime } = useIntl();
  return (
    <Field.Root name="performance">
      <Field.Label>{formatMessage({ id: getTranslation('scanner.performance'), defaultMessage: 'Performance' })}</Field.Label>
      <SingleSelect value={value} onChange={(next) => onChange(String(next))}>
        {performances.map((p) => (
          <SingleSelectOption key={p.documentId} value={p.documentId}>
            {`${p.show_title} · ${formatTime(p.starts_at, { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' })} · ${p.venue_name}`}
          </SingleSelectOption>
        ))}
      </SingleSelect>
    </Field.Root>
  );
};
