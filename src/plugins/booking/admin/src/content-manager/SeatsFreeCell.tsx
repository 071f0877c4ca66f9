import * as React from 'react';
import { useFetchClient } from '@strapi/strapi/admin';
import { Typography } from '@strapi/design-system';
import { API } from '../api';
import type { PerformanceStats } from '../../../shared/contracts';

/** Free seats of one performance in the list; '–' where the editor may not read the counts. */
export const SeatsFreeCell = ({ documentId }: { documentId: string }) => {
  const { get } = useFetchClient();
  const [free, setFree] = React.useState<number | null>(null);
  React.useEffect(() => {
    let live = true;
    get<{ data: PerformanceStats }>(API.stats(documentId))
      .then(({ data }) => live && setFree(data.data.available_seats))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [documentId, get]);
  return <Typography textColor="neutral800">{free ?? '–'}</Typography>;
};
