import * as React from 'react';
import { useIntl } from 'react-intl';
import { useFetchClient, useRBAC } from '@strapi/strapi/admin';
import { Alert, Box, Button, Field, Flex, Radio, TextInput, Textarea, Typography } from '@strapi/design-system';
import { API, PERMISSIONS } from '../api';
import { useT } from '../utils';

type Audience = 'confirmed' | 'confirmed_and_waiting';

interface SentMessage {
  id: number;
  subject: string;
  body: string;
  to: Audience;
  recipients: number;
  sent_by: string | null;
  sent_at: string;
}

interface MessagesAnswer {
  messages: SentMessage[];
  audience: Record<Audience, number>;
}

const SUBJECT_MAX = 150;
const BODY_MAX = 5000;

/** The check runs once for the module: useRBAC names it by the action's last part (canMessage). */
const MAY_WRITE = PERMISSIONS.message;

const codeOf = (error: unknown): string =>
  (error as { response?: { data?: { error?: { details?: { code?: string } } } } })?.response?.data?.error?.details?.code ?? 'network';

/**
 * Writing to a performance's audience (issue 22), on the door overview: subject, plain text, to
 * whom (with how many that is now), a preview of the mail as a visitor gets it, and the messages
 * already sent. Shown only to who holds plugin::booking.performance.message.
 */
export const AudienceMessages = ({ performance }: { performance: string }) => {
  const t = useT();
  const { formatDate } = useIntl();
  const { get, post } = useFetchClient();
  const { allowedActions, isLoading } = useRBAC(MAY_WRITE);
  const mayWrite = allowedActions.canMessage === true;
  const [answer, setAnswer] = React.useState<MessagesAnswer | null>(null);
  const [subject, setSubject] = React.useState('');
  const [body, setBody] = React.useState('');
  const [to, setTo] = React.useState<Audience>('confirmed');
  const [preview, setPreview] = React.useState(false);
  const [busy, setBusy] = React.useState(false);
  const [outcome, setOutcome] = React.useState<{ sent: number } | { code: string } | null>(null);

  const load = React.useCallback(() => {
    get<{ data: MessagesAnswer }>(API.messages(performance))
      .then(({ data }) => setAnswer(data.data))
      .catch(() => setAnswer(null));
  }, [get, performance]);

  // The page gives each performance a fresh form (its `key`): only the list is loaded here.
  React.useEffect(() => {
    if (mayWrite) load();
  }, [load, mayWrite]);

  if (isLoading || !mayWrite) return null;

  const count = answer?.audience[to] ?? 0;
  const filled = subject.trim().length > 0 && body.trim().length > 0;

  const send = async (event: React.FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setOutcome(null);
    try {
      const { data } = await post<{ data: { recipients: number } }>(API.messages(performance), { subject: subject.trim(), body, to });
      setOutcome({ sent: data.data.recipients });
      setSubject('');
      setBody('');
      setPreview(false);
    } catch (error) {
      setOutcome({ code: codeOf(error) });
    } finally {
      setBusy(false);
      load();
    }
  };

  const problemText = (code: string) =>
    ({
      rate_limited: t('messages.rateLimited', 'At most 5 messages a day for each performance: this one has had its five.'),
      validation: t('messages.validation', 'Write a subject (one line, up to 150 characters) and a text (up to 5000 characters).'),
      performance_not_found: t('messages.notFound', 'This performance no longer exists.'),
    })[code] ?? t('messages.failed', 'The message could not be sent. Try again.');

  return (
    <Box background="neutral0" padding={4} hasRadius shadow="tableShadow" data-testid="audience-messages">
      <Flex direction="column" alignItems="stretch" gap={3}>
        <Typography variant="delta" tag="h2">
          {t('messages.title', 'Write to the audience')}
        </Typography>
        {outcome && 'sent' in outcome && (
          <Alert variant="success" closeLabel="" title="" data-testid="messages-sent">
            {t('messages.sent', 'Sent: {count, plural, one {# e-mail} other {# e-mails}} on their way.', { count: outcome.sent })}
          </Alert>
        )}
        {outcome && 'code' in outcome && (
          <Alert variant="danger" closeLabel="" title="" data-testid="messages-problem" data-code={outcome.code}>
            {problemText(outcome.code)}
          </Alert>
        )}
        <form onSubmit={(event) => void send(event)}>
          <Flex direction="column" alignItems="stretch" gap={3}>
            <Field.Root name="subject" required hint={`${subject.length}/${SUBJECT_MAX}`}>
              <Field.Label>{t('messages.subject', 'Subject')}</Field.Label>
              <TextInput
                value={subject}
                maxLength={SUBJECT_MAX}
                onChange={(e: React.ChangeEvent<HTMLInputElement>) => setSubject(e.target.value.replace(/[\r\n]+/g, ' '))}
                data-testid="messages-subject"
              />
              <Field.Hint />
            </Field.Root>
            <Field.Root
              name="body"
              required
              hint={`${t('messages.plainText', 'Plain text: what you type is sent as it is.')} ${body.length}/${BODY_MAX}`}
            >
              <Field.Label>{t('messages.body', 'Text')}</Field.Label>
              <Textarea
                value={body}
                maxLength={BODY_MAX}
                onChange={(e: React.ChangeEvent<HTMLTextAreaElement>) => setBody(e.target.value)}
                data-testid="messages-body"
              />
              <Field.Hint />
            </Field.Root>
            <Field.Root name="to">
              <Field.Label>{t('messages.to', 'Recipients')}</Field.Label>
              <Radio.Group
                value={to}
                onValueChange={(value: string) => setTo(value as Audience)}
                aria-label={t('messages.to', 'Recipients')}
              >
                <Radio.Item value="confirmed" data-testid="messages-to-confirmed">
                  {t('messages.toConfirmed', 'Confirmed bookings ({count})', { count: answer?.audience.confirmed ?? 0 })}
                </Radio.Item>
                <Radio.Item value="confirmed_and_waiting" data-testid="messages-to-all">
                  {t('messages.toAll', 'Confirmed bookings and the waiting list ({count})', {
                    count: answer?.audience.confirmed_and_waiting ?? 0,
                  })}
                </Radio.Item>
              </Radio.Group>
            </Field.Root>
            <Typography tag="p" data-testid="messages-count" data-count={count}>
              {t(
                'messages.count',
                '{count, plural, =0 {No one will receive it.} one {# person will receive it.} other {# people will receive it.}}',
                {
                  count,
                }
              )}
            </Typography>
            {preview && (
              <Box padding={3} hasRadius background="neutral100" data-testid="messages-preview">
                <Typography tag="p" fontWeight="bold">
                  {subject}
                </Typography>
                <Typography tag="p" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
                  {body}
                </Typography>
                <Typography tag="p" variant="pi" textColor="neutral600" style={{ marginTop: 12 }}>
                  {t(
                    'messages.previewFoot',
                    '-- Each visitor then finds their booking reference and their own link to cancel (on the waiting list: to leave it), in their language.'
                  )}
                </Typography>
              </Box>
            )}
            <Flex gap={2} wrap="wrap">
              <Button
                type="button"
                variant="secondary"
                size="L"
                disabled={!filled}
                onClick={() => setPreview((shown) => !shown)}
                data-testid="messages-preview-button"
              >
                {preview ? t('messages.hidePreview', 'Hide the preview') : t('messages.preview', 'Preview')}
              </Button>
              <Button type="submit" size="L" loading={busy} disabled={!filled || busy || count === 0} data-testid="messages-send">
                {t('messages.send', 'Send to {count, plural, one {# person} other {# people}}', { count })}
              </Button>
            </Flex>
          </Flex>
        </form>
        <Typography variant="sigma" tag="h3" textColor="neutral600">
          {t('messages.history', 'Messages sent')}
        </Typography>
        {answer && answer.messages.length === 0 && (
          <Typography tag="p" textColor="neutral600">
            {t('messages.none', 'No message sent for this performance yet.')}
          </Typography>
        )}
        <Box tag="ol" style={{ listStyle: 'none', padding: 0, margin: 0 }} data-testid="messages-history">
          {answer?.messages.map((message) => (
            <Box tag="li" key={message.id} padding={2} marginBottom={1} hasRadius background="neutral100">
              <Typography tag="p" fontWeight="bold" style={{ overflowWrap: 'anywhere' }}>
                {message.subject}
              </Typography>
              <Typography tag="p" variant="pi" textColor="neutral600">
                {t('messages.meta', '{when} · {who} · {count, plural, one {# recipient} other {# recipients}}', {
                  when: formatDate(message.sent_at, { dateStyle: 'medium', timeStyle: 'short' }),
                  who: message.sent_by ?? '—',
                  count: message.recipients,
                })}
              </Typography>
              <Typography tag="p" variant="pi" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
                {message.body}
              </Typography>
            </Box>
          ))}
        </Box>
      </Flex>
    </Box>
  );
};
