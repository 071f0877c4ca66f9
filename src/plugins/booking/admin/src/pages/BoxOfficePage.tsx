import * as React from 'react';
import { Layouts, Page, useFetchClient, useRBAC } from '@strapi/strapi/admin';
import { Alert, Box, Button, Checkbox, Field, Flex, NumberInput, TextInput, Textarea, Typography } from '@strapi/design-system';
import { API, PERMISSIONS } from '../api';
import { useAccessNeedLabel } from '../components/AccessNeedsSign';
import { PerformancePicker, useDoorPerformances } from '../components/PerformancePicker';
import { useT } from '../utils';
import type { AccessNeed, CreateBoxOfficeBooking, PerformanceStats } from '../../../shared/contracts';

const NEEDS: AccessNeed[] = ['wheelchair', 'hearing', 'sight', 'other'];

interface Problem {
  code: string;
  available?: number;
  fields?: string[];
}

/** The form's fields the server may name in a `validation` answer. */
type FieldName = 'name' | 'party_size' | 'email' | 'phone' | 'notes' | 'access_needs' | 'send_ticket';

/** The seats-left figure reads the statistics route: one array for the module, checked once. */
const STATS = { stats: PERMISSIONS.stats };

const problemOf = (error: unknown): Problem => {
  const e = error as {
    response?: { data?: { error?: { details?: { code?: string; available_seats?: number; errors?: Array<{ path: string[] }> } } } };
  };
  const details = e?.response?.data?.error?.details;
  return {
    code: details?.code ?? 'network',
    available: details?.available_seats,
    // Each field once, whatever the number of rules it broke ("name, name" told a clerk nothing).
    fields: [...new Set(details?.errors?.map((p) => p.path[0] ?? '') ?? [])],
  };
};

/** Bookings taken at the box office or on the phone: confirmed at once, the reference to read out. */
export const BoxOfficePage = () => {
  const t = useT();
  const needLabel = useAccessNeedLabel();
  const { get, post } = useFetchClient();
  const { performances, performance, unknown, setPerformance, failed } = useDoorPerformances();
  const { allowedActions } = useRBAC(STATS);
  const [seatsLeft, setSeatsLeft] = React.useState<{ performance: string; seats: number } | null>(null);
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

  /** The seats left for the chosen performance, read again after each booking. */
  const readSeatsLeft = React.useCallback(() => {
    if (!performance || !allowedActions.canStats) return;
    get<{ data: PerformanceStats }>(API.stats(performance))
      .then(({ data }) => setSeatsLeft({ performance, seats: data.data.available_seats }))
      .catch(() => setSeatsLeft(null));
  }, [get, performance, allowedActions.canStats]);
  React.useEffect(readSeatsLeft, [readSeatsLeft]);
  // Only the chosen performance's figure: another's, still on screen while the new one loads, is not shown.
  const left = seatsLeft?.performance === performance ? seatsLeft.seats : null;
  /** Another evening: what was said about the last one goes. */
  const choose = (documentId: string) => {
    setBooked(null);
    setProblem(null);
    setPerformance(documentId);
  };

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
      readSeatsLeft();
    }
  };

  /** What to do about a field the server refused, in the clerk's language, under the field. */
  const fieldMessages: Record<FieldName, string> = {
    name: t('boxOffice.error.name', 'Write the name the party gives at the door: one line, up to 120 characters, no e-mail address.'),
    party_size: t('boxOffice.error.partySize', 'Seats: a whole number from 1 to 500.'),
    email: t('boxOffice.error.email', 'This is not an e-mail address.'),
    phone: t('boxOffice.error.phone', 'A phone number holds digits, spaces and + ( ) . / - only.'),
    notes: t('boxOffice.error.notes', 'Notes: plain text, up to 1000 characters.'),
    access_needs: t('boxOffice.error.accessNeeds', 'Choose the access needs from the list.'),
    send_ticket: t('boxOffice.error.sendTicket', 'Tick or untick "E-mail the ticket".'),
  };
  const errorOf = (field: FieldName) =>
    problem?.code === 'validation' && problem.fields?.includes(field) ? fieldMessages[field] : undefined;

  const problemText = (p: Problem) =>
    ({
      sold_out: t('boxOffice.soldOut', 'Not enough seats: {available} left.', { available: p.available ?? 0 }),
      booking_closed: t('boxOffice.closed', 'This performance has already started.'),
      performance_not_found: t('boxOffice.notFound', 'This performance no longer exists.'),
      validation: t('boxOffice.validation', 'Check the fields marked in red.'),
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
          <PerformancePicker performances={performances} value={performance} unknown={unknown} onChange={choose} />
          {left !== null && (
            <Typography tag="p" variant="delta" data-testid="box-office-seats-left" data-seats={left}>
              {t('boxOffice.seatsLeft', '{count, plural, =0 {No seats left} one {# seat left} other {# seats left}}', { count: left })}
            </Typography>
          )}
          <form onSubmit={submit}>
            <Flex direction="column" alignItems="stretch" gap={3}>
              <Field.Root name="name" required error={errorOf('name')}>
                <Field.Label>{t('boxOffice.name', 'Name')}</Field.Label>
                <TextInput value={name} onChange={(e: React.ChangeEvent<HTMLInputElement>) => setName(e.target.value)} autoComplete="off" />
                <Field.Error />
              </Field.Root>
              <Field.Root name="party_size" required error={errorOf('party_size')}>
                <Field.Label>{t('boxOffice.partySize', 'Seats')}</Field.Label>
                <NumberInput key={formKey} value={partySize} onValueChange={(value: number | undefined) => setPartySize(value)} />
                <Field.Error />
              </Field.Root>
              <Field.Root name="email" hint={t('boxOffice.emailHint', 'Optional: the ticket is e-mailed to it')} error={errorOf('email')}>
                <Field.Label>{t('boxOffice.email', 'E-mail')}</Field.Label>
                <TextInput
                  type="email"
                  value={email}
                  onChange={(e: React.ChangeEvent<HTMLInputElement>) => setEmail(e.target.value)}
                  autoComplete="off"
                />
                <Field.Hint />
                <Field.Error />
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
              <Field.Root name="phone" error={errorOf('phone')}>
                <Field.Label>{t('boxOffice.phone', 'Phone')}</Field.Label>
                <TextInput
                  type="tel"
                  value={phone}
                  onChange={(e: React.ChangeEvent<HTMLInputElement>) => setPhone(e.target.value)}
                  autoComplete="off"
                />
                <Field.Error />
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
                {errorOf('access_needs') && (
                  <Typography variant="pi" textColor="danger600" tag="p">
                    {errorOf('access_needs')}
                  </Typography>
                )}
              </fieldset>
              <Field.Root name="notes" error={errorOf('notes')}>
                <Field.Label>{t('boxOffice.notes', 'Notes (not shown at the door)')}</Field.Label>
                <Textarea value={notes} onChange={(e: React.ChangeEvent<HTMLTextAreaElement>) => setNotes(e.target.value)} />
                <Field.Error />
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
