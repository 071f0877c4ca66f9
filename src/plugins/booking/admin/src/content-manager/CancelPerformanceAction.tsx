import * as React from 'react';
import { useFetchClient, useNotification, useRBAC } from '@strapi/strapi/admin';
import { Field, Flex, Textarea, Typography } from '@strapi/design-system';
import { API, PERMISSIONS } from '../api';
import { useT } from '../utils';
import { MODEL } from './constants';

interface ActionProps {
  model: string;
  documentId?: string;
  document?: Record<string, unknown> | null;
}

interface CancelPreview {
  status: 'scheduled' | 'cancelled';
  started: boolean;
  holders: number;
  waiting: number;
  recipients: number;
}

const MAX_MESSAGE = 1000;

/** The dialog's body: how many people will be written to (read when it opens), and the message. */
const CancelPerformanceBody = ({ documentId, messageRef }: { documentId: string; messageRef: React.MutableRefObject<string> }) => {
  const t = useT();
  const { get } = useFetchClient();
  const [preview, setPreview] = React.useState<CancelPreview | null>(null);
  const [failed, setFailed] = React.useState(false);
  const [text, setText] = React.useState('');

  React.useEffect(() => {
    let live = true;
    get<{ data: CancelPreview }>(API.cancelPerformance(documentId))
      .then(({ data }) => live && setPreview(data.data))
      .catch(() => live && setFailed(true));
    return () => {
      live = false;
    };
  }, [documentId, get]);

  return (
    <Flex direction="column" alignItems="stretch" gap={4}>
      <Typography>
        {t(
          'cm.cancelPerformance.body',
          'Every reservation of this performance will be cancelled and its waiting list closed. This cannot be undone.'
        )}
      </Typography>
      <Typography fontWeight="bold" data-testid="cancel-performance-count">
        {failed
          ? t('cm.cancelPerformance.countFailed', 'How many people will be written to could not be read.')
          : preview
            ? t(
                'cm.cancelPerformance.count',
                '{recipients} people will get an e-mail: {holders} with tickets, {waiting} on the waiting list.',
                {
                  recipients: String(preview.recipients),
                  holders: String(preview.holders),
                  waiting: String(preview.waiting),
                }
              )
            : t('cm.cancelPerformance.counting', 'Counting who will be written to…')}
      </Typography>
      <Field.Root
        name="cancellation-message"
        hint={t('cm.cancelPerformance.messageHint', 'Optional, up to 1000 characters: sent with the e-mail.')}
      >
        <Field.Label>{t('cm.cancelPerformance.message', 'Message to the audience')}</Field.Label>
        <Textarea
          value={text}
          maxLength={MAX_MESSAGE}
          onChange={(event: React.ChangeEvent<HTMLTextAreaElement>) => {
            setText(event.target.value);
            messageRef.current = event.target.value;
          }}
        />
        <Field.Hint />
      </Field.Root>
    </Flex>
  );
};

/**
 * 'Cancel performance' (Annulla replica) on a performance, for those who may cancel one: a dialog
 * with how many people will be written to and an optional message; on confirmation the server
 * cancels every reservation, closes the waiting list and writes to everyone (issue 22). Disabled
 * once the performance is cancelled or has started.
 */
export const CancelPerformanceAction = ({ model, documentId, document }: ActionProps) => {
  const t = useT();
  const { post } = useFetchClient();
  const { toggleNotification } = useNotification();
  const { allowedActions } = useRBAC({ cancel: PERMISSIONS.performanceCancel });
  const messageRef = React.useRef('');
  if (model !== MODEL.performance || !documentId || !allowedActions.canCancel) return null;
  const cancelled = Boolean(document?.cancelled_at);
  const started = document?.starts_at ? new Date(String(document.starts_at)).getTime() <= Date.now() : false;
  return {
    label: cancelled ? t('cm.cancelPerformance.done', 'Performance cancelled') : t('cm.cancelPerformance.label', 'Cancel performance'),
    variant: 'danger' as const,
    position: ['panel'] as Array<'panel'>,
    disabled: cancelled || started,
    dialog: {
      type: 'dialog' as const,
      title: t('cm.cancelPerformance.title', 'Cancel this performance?'),
      content: <CancelPerformanceBody documentId={documentId} messageRef={messageRef} />,
      variant: 'danger' as const,
      onConfirm: async () => {
        try {
          const text = messageRef.current.trim();
          const { data } = await post<{ data: { reservations_cancelled: number } }>(
            API.cancelPerformance(documentId),
            text ? { message: text } : {}
          );
          toggleNotification({
            type: 'success',
            message: t(
              'cm.cancelPerformance.success',
              'Performance cancelled: {count} reservations cancelled, everyone is being written to.',
              {
                count: String(data.data.reservations_cancelled),
              }
            ),
          });
          // The edit view shows the cancellation (its date and message) once it reads the performance again.
          window.setTimeout(() => window.location.reload(), 1200);
        } catch {
          toggleNotification({ type: 'danger', message: t('cm.cancelPerformance.failed', 'The performance could not be cancelled.') });
        }
      },
    },
  };
};
CancelPerformanceAction.type = 'booking-cancel-performance';
