import * as React from 'react';
import { useIntl } from 'react-intl';
import { Layouts, Page, useFetchClient } from '@strapi/strapi/admin';
import { Alert, Box, Button, Checkbox, Field, Flex, NumberInput, TextInput, Textarea, Typography } from '@strapi/design-system';
import { API } from '../api';
import { useAccessNeedLabel } from '../components/AccessNeedsSign';
import { PerformancePicker, useDoorPerformances } from '../components/PerformancePicker';
import { getTranslation } from '../utils';
import type { AccessNeed, CreateBoxOfficeBooking } from '../../../shared/contracts';

const NEEDS: AccessNeed[] = ['wheelchair', 'hearing', 'sight', 'other'];

interface Problem {
  code: string;
  available?: number;
  fields?: string[];
}

const problemOf = (error: unknown): Problem => {
  const e = error as {
    response?: { data?: { error?: { details?: { code?: string; available_seats?: number; errors?: Array<{ path: string[] }> } } } };
  };
  const details = e?.response?.data?.error?.details;
  return {
    code: details?.code ?? 'network',
    available: details?.available_seats,
    fields: details?.errors?.map((p) => p.path.join('.')),
  };
};

/** Bookings taken at the box office or on the phone: confirmed at once, the reference to read out. */
export const BoxOfficePage = () => {
  const { formatMessage } = useIntl();
  const t = (id: string, defaultMessage: string, values?: Record<string, React.ReactNode>) =>
    formatMessage({ id: getTranslation(id), defaultMessage }, values as never);
  const needLabel = useAccessNeedLabel();
  const { post } = useFetchClient();
  const { performances, performance, setPerformance, failed } = useDoorPerformances();
  const [name, setName] = React.useState('');
  const [email, setEmail] = React.useState('');
  const [phone, setPhone] = React.useState('');
  const [partySize, setPartySize] = React.useState<number | undefined>(1);
  const [notes, setNotes] = React.useState('');
  const [needs, setNeeds] = React.useState<AccessNeed[]>([]);
  const [sendTicket, setSendTicket] = React.useState(true);
  const [busy, setBusy] = React.useState(false);
  const [booked, setBooked] = React.useState<CreateBoxOfficeBooking.Response['data'] | null>(null);
  const [problem, setProblem] = React.useState<Problem | null>(null);
  // The number field keeps its own text: a new key gives the next booking a fresh one.
  const [formKey, setFormKey] = React.useState(0);

  if (failed) return <Page.Error />;
  if (!performances) return <Page.Loading />;

  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setProblem(null);
    setBooked(null);
    const body: CreateBoxOfficeBooking.Request = {
      name: name.trim(),
      party_size: partySize ?? 0,
      ...(email.trim() ? { email: email.trim(), send_ticket: sendTicket } : {}),
      ...(phone.trim() ? { phone: phone.trim() } : {}),
      ...(notes.trim() ? { notes: notes.trim() } : {}),
      ...(needs.length > 0 ? { access_needs: needs } : {}),
    };
    try {
      const { data } = await post<CreateBoxOfficeBooking.Response>(API.boxOffice(performance), body);
      setBooked(data.data);
      setName('');
      setEmail('');
      setPhone('');
      setPartySize(1);
      setNotes('');
      setNeeds([]);
      setFormKey((key) => key + 1);
    } catch (error) {
      setProblem(problemOf(error));
    } finally {
      setBusy(false);
    }
  };

  const problemText = (p: Problem) =>
    ({
      sold_out: t('boxOffice.soldOut', 'Not enough seats: {available} left.', { available: p.available ?? 0 }),
      booking_closed: t('boxOffice.closed', 'This performance has already started.'),
      performance_not_found: t('boxOffice.notFound', 'This performance no longer exists.'),
      validation: t('boxOffice.validation', 'Check these fields: {fields}', { fields: (p.fields ?? []).join(', ') }),
    })[p.code] ?? t('boxOffice.failed', 'The booking could not be saved. Try again.');

  return (
    <Layouts.Root>
      <Page.Title>{t('boxOffice.title', 'Box office')}</Page.Title>
      <Layouts.Header
        title={t('boxOffice.title', 'Box office')}
        subtitle={t('boxOffice.subtitle', 'Bookings at the desk or on the phone, confirmed at once')}
      />
      <Layouts.Content>
        <Flex direction="column" alignItems="stretch" gap={4} style={{ maxWidth: 560 }}>
          {booked && (
            <Box padding={5} hasRadius background="success100" role="status" data-testid="box-office-answer">
              <Typography tag="p" variant="delta">
                {t('boxOffice.booked', 'Booked: {count, plural, one {# seat} other {# seats}}. Reference:', { count: booked.party_size })}
              </Typography>
              <Typography
                tag="p"
                style={{ fontSize: 40, fontWeight: 800, letterSpacing: '0.12em', fontFamily: 'monospace' }}
                data-testid="box-office-reference"
              >
                {booked.reference}
              </Typography>
            </Box>
          )}
          {problem && (
            <Alert variant="danger" closeLabel="" title="" data-testid="box-office-problem" data-code={problem.code}>
              {problemText(problem)}
            </Alert>
          )}
          <PerformancePicker performances={performances} value={performance} onChange={setPerformance} />
          <form onSubmit={submit}>
            <Flex direction="column" alignItems="stretch" gap={3}>
              <Field.Root name="name" required>
                <Field.Label>{t('boxOffice.name', 'Name')}</Field.Label>
                <TextInput value={name} onChange={(e: React.ChangeEvent<HTMLInputElement>) => setName(e.target.value)} autoComplete="off" />
              </Field.Root>
              <Field.Root name="party_size" required>
                <Field.Label>{t('boxOffice.partySize', 'Seats')}</Field.Label>
                <NumberInput key={formKey} value={partySize} onValueChange={(value: number | undefined) => setPartySize(value)} />
              </Field.Root>
              <Field.Root name="email" hint={t('boxOffice.emailHint', 'Optional: the ticket is e-mailed to it')}>
                <Field.Label>{t('boxOffice.email', 'E-mail')}</Field.Label>
                <TextInput
                  type="email"
                  value={email}
                  onChange={(e: React.ChangeEvent<HTMLInputElement>) => setEmail(e.target.value)}
                  autoComplete="off"
                />
                <Field.Hint />
              </Field.Root>
              {email.trim() && (
                <Checkbox
                  checked={sendTicket}
                  onCheckedChange={(checked: boolean | 'indeterminate') => setSendTicket(checked === true)}
                  name="send_ticket"
                >
                  {t('boxOffice.sendTicket', 'E-mail the ticket')}
                </Checkbox>
              )}
              <Field.Root name="phone">
                <Field.Label>{t('boxOffice.phone', 'Phone')}</Field.Label>
                <TextInput
                  type="tel"
                  value={phone}
                  onChange={(e: React.ChangeEvent<HTMLInputElement>) => setPhone(e.target.value)}
                  autoComplete="off"
                />
              </Field.Root>
              <fieldset style={{ border: 0, padding: 0, margin: 0 }}>
                <legend>
                  <Typography variant="pi" fontWeight="bold">
                    {t('access.title', 'Access needs')}
                  </Typography>
                </legend>
                <Flex gap={4} wrap="wrap" paddingTop={1}>
                  {NEEDS.map((need) => (
                    <Checkbox
                      key={need}
                      name={`access-${need}`}
                      checked={needs.includes(need)}
                      onCheckedChange={(checked: boolean | 'indeterminate') =>
                        setNeeds((list) => (checked === true ? [...list.filter((n) => n !== need), need] : list.filter((n) => n !== need)))
                      }
                    >
                      {needLabel(need)}
                    </Checkbox>
                  ))}
                </Flex>
              </fieldset>
              <Field.Root name="notes">
                <Field.Label>{t('boxOffice.notes', 'Notes (not shown at the door)')}</Field.Label>
                <Textarea value={notes} onChange={(e: React.ChangeEvent<HTMLTextAreaElement>) => setNotes(e.target.value)} />
              </Field.Root>
              <Button type="submit" size="L" loading={busy} disabled={!performance || busy} data-testid="box-office-submit">
                {t('boxOffice.book', 'Book and confirm')}
              </Button>
            </Flex>
          </form>
        </Flex>
      </Layouts.Content>
    </Layouts.Root>
  );
};
