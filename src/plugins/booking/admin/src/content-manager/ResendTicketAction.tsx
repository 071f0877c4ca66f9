import { useFetchClient, useNotification } from '@strapi/strapi/admin';
import { Typography } from '@strapi/design-system';
import { API } from '../api';
import { useT } from '../utils';
import { MODEL } from './constants';

interface ActionProps {
  model: string;
  documentId?: string;
  document?: Record<string, unknown> | null;
}

/**
 * 'Resend ticket' on a confirmed reservation with an e-mail address: after a confirmation dialog
 * the server queues the ticket mail again (the lost-ticket path: a fresh QR code and links, in the
 * visitor's language). A caller who lost the mail gets it while still on the phone.
 */
export const ResendTicketAction = ({ model, documentId, document }: ActionProps) => {
  const t = useT();
  const { post } = useFetchClient();
  const { toggleNotification } = useNotification();
  if (model !== MODEL.reservation || !documentId) return null;
  const confirmed = document?.reservation_status === 'confirmed';
  const email = String(document?.email ?? '');
  return {
    label: t('cm.resend.label', 'Resend ticket'),
    position: ['panel'] as Array<'panel'>,
    disabled: !confirmed || email === '',
    dialog: {
      type: 'dialog' as const,
      title: t('cm.resend.title', 'Send the ticket again?'),
      content: (
        <Typography>
          {t('cm.resend.body', 'The ticket of reservation {reference} goes again to {email}, with a fresh QR code.', {
            reference: String(document?.reference ?? ''),
            email,
          })}
        </Typography>
      ),
      onConfirm: async () => {
        try {
          await post(API.resendTicket(documentId), {});
          toggleNotification({ type: 'success', message: t('cm.resend.done', 'The ticket is on its way.') });
        } catch {
          toggleNotification({ type: 'danger', message: t('cm.resend.failed', 'The ticket could not be sent again.') });
        }
      },
    },
  };
};
ResendTicketAction.type = 'booking-resend-ticket';
