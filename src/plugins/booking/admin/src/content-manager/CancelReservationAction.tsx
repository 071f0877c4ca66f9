import { useIntl } from 'react-intl';
import { unstable_useDocumentActions as useDocumentActions } from '@strapi/strapi/admin';
import { Typography } from '@strapi/design-system';
import { getTranslation } from '../utils';
import { CANCELLABLE, MODEL } from './constants';

interface ActionProps {
  model: string;
  documentId?: string;
  collectionType: string;
  document?: Record<string, unknown> | null;
}

/**
 * 'Cancel reservation', in place of the status field: after a confirmation dialog it asks the
 * server to cancel (the document rules hand this to the reservations service, which frees the
 * seats and is the only writer of statuses). Offered while the reservation is pending or confirmed.
 */
export const CancelReservationAction = ({ model, documentId, collectionType, document }: ActionProps) => {
  const { formatMessage } = useIntl();
  const { update } = useDocumentActions();
  const t = (id: string, defaultMessage: string, values?: Record<string, string>) =>
    formatMessage({ id: getTranslation(id), defaultMessage }, values);
  if (model !== MODEL.reservation || !documentId) return null;
  const status = String(document?.reservation_status ?? '');
  return {
    label: t('cm.cancel.label', 'Cancel reservation'),
    variant: 'danger' as const,
    position: ['panel'] as Array<'panel'>,
    disabled: !CANCELLABLE.includes(status),
    dialog: {
      type: 'dialog' as const,
      title: t('cm.cancel.title', 'Cancel this reservation?'),
      content: (
        <Typography>
          {t('cm.cancel.body', 'Reservation {reference} for {name} will be cancelled and its seats freed. This cannot be undone.', {
            reference: String(document?.reference ?? ''),
            name: String(document?.name ?? ''),
          })}
        </Typography>
      ),
      variant: 'danger' as const,
      onConfirm: async () => {
        await update({ collectionType, model, documentId }, { reservation_status: 'cancelled' });
      },
    },
  };
};
CancelReservationAction.type = 'booking-cancel-reservation';
