import * as React from 'react';
import { useFetchClient, useForm } from '@strapi/strapi/admin';
import { MODEL } from './constants';

/** The venue chosen in the form: the Content Manager keeps a relation as `{ connect: [...] }`. */
const chosenVenue = (value: unknown): string | null => {
  const connect = (value as { connect?: Array<{ documentId?: string }> } | null)?.connect;
  return connect?.at(-1)?.documentId ?? null;
};

/**
 * On a new performance, choosing a venue with a usual capacity (`default_capacity`) puts it into
 * an empty "Room capacity", so the editor sees what will be saved. The server fills it anyway
 * when it is left empty (services/performances.ts `fillRoomCapacity`), on every write path.
 */
export const usePrefillCapacity = ({ model, documentId }: { model: string; documentId?: string }) => {
  const active = model === MODEL.performance && !documentId;
  const { get } = useFetchClient();
  const venue = useForm('usePrefillCapacity', (form) => (active ? chosenVenue((form.values as Record<string, unknown>).venue) : null));
  const capacity = useForm('usePrefillCapacity', (form) => (form.values as Record<string, unknown>).room_capacity);
  const onChange = useForm('usePrefillCapacity', (form) => form.onChange);
  const current = React.useRef<unknown>(capacity);
  React.useEffect(() => {
    current.current = capacity;
  }, [capacity]);

  React.useEffect(() => {
    if (!venue) return;
    let live = true;
    get<{ data: { default_capacity?: number | null } }>(`/content-manager/collection-types/${MODEL.venue}/${venue}`)
      .then(({ data }) => {
        const usual = data.data.default_capacity;
        const empty = current.current === undefined || current.current === null || current.current === '';
        if (live && empty && typeof usual === 'number') onChange('room_capacity', usual);
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [venue, get, onChange]);
};
