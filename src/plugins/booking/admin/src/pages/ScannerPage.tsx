import * as React from 'react';
import { useIntl } from 'react-intl';
import { Link } from 'react-router-dom';
import { Layouts, Page, useFetchClient } from '@strapi/strapi/admin';
import { Alert, Box, Button, Field, Flex, LinkButton, TextInput, Typography } from '@strapi/design-system';
import { AccessNeedsSign } from '../components/AccessNeedsSign';
import { PerformancePicker, useDoorPerformances } from '../components/PerformancePicker';
import { QrScanner, type CameraProblem } from '../components/QrScanner';
import { API } from '../api';
import { useT } from '../utils';
import type { CreateCheckIn, PerformanceStats } from '../../../shared/contracts';

type Answer = CreateCheckIn.Response['data'];
/**
 * Why a scan got no answer about the ticket: the server refused the staff member (403), the
 * scans came too fast (429), or the server could not answer (503 and other 5xx). Never shown as
 * "not a valid ticket": the ticket was not looked at.
 */
type RequestProblem = 'forbidden' | 'rate_limited' | 'server_busy';
type Shown = Answer | { result: RequestProblem };
interface PendingScan {
  body: CreateCheckIn.Request & { idempotency_key: string };
}

/**
 * The same code seen again within this window is the same scan (a phone sees a QR many times a
 * second, and a ticket held in front of the camera comes back each time the answer clears). The
 * window slides: every sighting of the held code extends it, so a code held still is sent once.
 */
const REPEAT_MS = 8000;
/** A printed reference: 6 to 16 letters and digits once spaces and dashes are gone (a token is longer). */
const REFERENCE = /^[A-Za-z0-9]{6,16}$/;
/** How long an answer stays on screen before the page is back to scanning. */
const SHOW_ANSWER_MS = 3500;
const RETRY_MS = 3000;

const newKey = () => Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');

const COLOURS = {
  ok: { background: '#1f7a3a', color: '#fff' },
  warn: { background: '#f0a500', color: '#1a1a1a' },
  error: { background: '#b3261e', color: '#fff' },
} as const;

const tone = (kind: keyof typeof COLOURS) => {
  try {
    navigator.vibrate?.(kind === 'ok' ? 80 : [60, 60, 60, 60, 60]);
    const AudioContextClass = window.AudioContext;
    if (!AudioContextClass) return;
    const audio = new AudioContextClass();
    const oscillator = audio.createOscillator();
    oscillator.frequency.value = kind === 'ok' ? 880 : kind === 'warn' ? 520 : 220;
    oscillator.connect(audio.destination);
    oscillator.start();
    oscillator.stop(audio.currentTime + (kind === 'ok' ? 0.12 : 0.35));
    oscillator.onended = () => void audio.close();
  } catch {
    // No sound on this device: the colour says it all.
  }
};

const isNetworkError = (error: unknown) => {
  const e = error as { response?: unknown; status?: number; name?: string };
  return !e?.response && !e?.status && e?.name !== 'AbortError';
};

/** What an HTTP error answer means at the door; null for the refusals that are about the ticket. */
const requestProblem = (error: unknown): RequestProblem | null => {
  const status = (error as { status?: number })?.status;
  if (status === 403) return 'forbidden';
  if (status === 429) return 'rate_limited';
  if (status !== undefined && status >= 500) return 'server_busy';
  return null;
};

const kindOf = (result: Shown['result']): keyof typeof COLOURS =>
  result === 'ok' ? 'ok' : result === 'already_checked_in' || result === 'rate_limited' || result === 'server_busy' ? 'warn' : 'error';

export const ScannerPage = () => {
  const { formatTime } = useIntl();
  const t = useT();
  const { get, post } = useFetchClient();

  const { performances, performance, unknown, setPerformance, failed: loadError } = useDoorPerformances();
  const [stats, setStats] = React.useState<PerformanceStats | null>(null);
  const [answer, setAnswer] = React.useState<Shown | null>(null);
  const [camera, setCamera] = React.useState<CameraProblem | null>(null);
  const [manual, setManual] = React.useState('');
  const [queue, setQueue] = React.useState<PendingScan[]>([]);
  const lastSent = React.useRef<{ text: string; at: number } | null>(null);
  const clearTimer = React.useRef<number>();

  const refreshStats = React.useCallback(() => {
    if (!performance) return;
    get<{ data: PerformanceStats }>(API.stats(performance))
      .then(({ data }) => setStats(data.data))
      .catch(() => undefined);
  }, [get, performance]);

  React.useEffect(() => {
    refreshStats();
    const timer = window.setInterval(refreshStats, 10_000);
    return () => window.clearInterval(timer);
  }, [refreshStats]);

  const show = React.useCallback(
    (data: Shown) => {
      setAnswer(data);
      tone(kindOf(data.result));
      window.clearTimeout(clearTimer.current);
      clearTimer.current = window.setTimeout(() => setAnswer(null), SHOW_ANSWER_MS);
      refreshStats();
    },
    [refreshStats]
  );

  const send = React.useCallback(
    async (pending: PendingScan) => {
      try {
        const { data } = await post<CreateCheckIn.Response>(API.checkIn, pending.body);
        setQueue((q) => q.filter((p) => p.body.idempotency_key !== pending.body.idempotency_key));
        show(data.data);
      } catch (error) {
        if (isNetworkError(error)) {
          // Kept, and sent again with the same key: the server answers a retry once.
          setQueue((q) => (q.some((p) => p.body.idempotency_key === pending.body.idempotency_key) ? q : [...q, pending]));
        } else {
          setQueue((q) => q.filter((p) => p.body.idempotency_key !== pending.body.idempotency_key));
          show({ result: requestProblem(error) ?? 'invalid' });
        }
      }
    },
    [post, show]
  );

  React.useEffect(() => {
    if (queue.length === 0) return;
    const timer = window.setInterval(() => queue.forEach((p) => void send(p)), RETRY_MS);
    return () => window.clearInterval(timer);
  }, [queue, send]);

  const submit = React.useCallback(
    (text: string, source: 'qr_scan' | 'manual') => {
      const now = Date.now();
      if (source === 'qr_scan') {
        const repeat = lastSent.current?.text === text && now - lastSent.current.at < REPEAT_MS;
        // Camera sightings only: a typed code neither starts nor breaks the held ticket's window.
        lastSent.current = { text, at: now };
        if (repeat) return;
      }
      const compact = text.replace(/[\s-]+/g, '');
      // Typed by hand, a short code is the reference printed in the ticket mail, for the chosen performance.
      if (source === 'manual' && REFERENCE.test(compact) && performance) {
        void send({ body: { reference: compact.toUpperCase(), performance, source, idempotency_key: newKey() } });
        return;
      }
      void send({ body: { token: text, performance: performance || undefined, source, idempotency_key: newKey() } });
    },
    [performance, send]
  );

  const onScan = React.useCallback((text: string) => submit(text, 'qr_scan'), [submit]);
  const moment = (iso: string) => formatTime(iso, { weekday: 'long', day: 'numeric', month: 'long', hour: '2-digit', minute: '2-digit' });
  const onProblem = React.useCallback((problem: CameraProblem) => setCamera(problem), []);

  if (loadError) return <Page.Error />;
  if (!performances) return <Page.Loading />;

  const reason = (result: string) =>
    ({
      ok: t('result.ok', 'Welcome in'),
      already_checked_in: t('result.already_checked_in', 'Already checked in'),
      not_confirmed: t('result.not_confirmed', 'Not valid: booking cancelled, expired or not confirmed'),
      invalid: t('result.invalid', 'Not a valid ticket'),
      wrong_performance: t('result.wrong_performance', 'Ticket for another performance'),
      too_early: t('result.too_early', 'Too early: check-in is not open yet'),
      too_late: t('result.too_late', 'Too late: check-in has closed'),
      forbidden: t('result.forbidden', 'You may no longer check people in: ask an administrator'),
      rate_limited: t('result.rate_limited', 'Too many scans: wait a moment, then scan again'),
      server_busy: t('result.server_busy', 'The server is busy: scan again in a moment'),
    })[result] ?? result;

  const kind = answer ? kindOf(answer.result) : null;
  const cameraMessage = camera
    ? {
        insecure: t('camera.insecure', 'The camera needs HTTPS: open the admin panel over https:// to scan. Typing the code works.'),
        unsupported: t('camera.unsupported', 'This browser cannot use a camera. Type the code below.'),
        denied: t('camera.denied', 'Camera access was refused. Allow it in the browser settings, or type the code below.'),
        missing: t('camera.missing', 'No camera found. Type the code below.'),
        failed: t('camera.failed', 'The camera could not start. Type the code below.'),
      }[camera]
    : null;

  return (
    <Layouts.Root>
      <Page.Title>{t('scanner.title', 'Check-in')}</Page.Title>
      <Layouts.Header
        title={t('scanner.title', 'Check-in')}
        subtitle={t('scanner.subtitle', 'Scan tickets at the door')}
        secondaryAction={
          <Flex gap={2} wrap="wrap">
            <LinkButton
              tag={Link}
              to={`overview?performance=${encodeURIComponent(performance)}`}
              variant="secondary"
              size="L"
              data-testid="overview-link"
            >
              {t('overview.title', 'Door overview')}
            </LinkButton>
            <LinkButton tag={Link} to={`door-list?performance=${encodeURIComponent(performance)}`} variant="tertiary" size="L">
              {t('doorList.title', 'Door list')}
            </LinkButton>
          </Flex>
        }
      />
      <Layouts.Content>
        <Flex direction="column" alignItems="stretch" gap={4} style={{ maxWidth: 560 }}>
          {performances.length === 0 ? (
            <Alert variant="default" closeLabel="" title="">
              {t('scanner.noPerformances', 'No performance in the season.')}
            </Alert>
          ) : (
            <PerformancePicker performances={performances} value={performance} unknown={unknown} onChange={setPerformance} />
          )}

          {stats && (
            <Box background="neutral0" padding={3} hasRadius shadow="tableShadow" data-testid="door-counts">
              <Typography variant="omega">
                {t('scanner.counts', 'In: {parties, plural, one {# party} other {# parties}} · {seats} of {confirmed} seats', {
                  parties: stats.checked_in_reservations,
                  seats: stats.checked_in_seats,
                  confirmed: stats.confirmed_seats,
                })}
              </Typography>
            </Box>
          )}

          {answer && kind ? (
            <Box
              padding={5}
              hasRadius
              role="status"
              aria-live="assertive"
              data-testid="scan-answer"
              data-result={answer.result}
              style={{ ...COLOURS[kind], minHeight: 180 }}
            >
              <Typography tag="p" fontWeight="bold" style={{ fontSize: 28, lineHeight: 1.2, color: 'inherit' }}>
                {reason(answer.result)}
              </Typography>
              {'ticket' in answer && answer.result === 'ok' && answer.ticket && (
                <Typography tag="p" style={{ fontSize: 56, fontWeight: 800, lineHeight: 1.1, color: 'inherit' }} data-testid="party-size">
                  {t('scanner.people', '{count, plural, one {# person} other {# people}}', { count: answer.ticket.party_size })}
                </Typography>
              )}
              {'checked_in_at' in answer && answer.result === 'already_checked_in' && answer.checked_in_at && (
                <Typography tag="p" style={{ fontSize: 20, color: 'inherit' }}>
                  {t('scanner.firstScan', 'First scanned at {time} by {staff}', {
                    time: formatTime(answer.checked_in_at, { hour: '2-digit', minute: '2-digit' }),
                    staff: answer.checked_in_by ?? '',
                  })}
                </Typography>
              )}
              {answer.result === 'wrong_performance' && 'ticket' in answer && answer.ticket && (
                <Typography tag="p" style={{ fontSize: 22, fontWeight: 700, color: 'inherit' }} data-testid="ticket-date">
                  {t('scanner.ticketFor', 'This ticket is for {when}', { when: moment(answer.ticket.starts_at) })}
                </Typography>
              )}
              {answer.result === 'too_early' && 'check_in_opens_at' in answer && answer.check_in_opens_at && (
                <Typography tag="p" style={{ fontSize: 22, fontWeight: 700, color: 'inherit' }} data-testid="door-opens">
                  {t('scanner.doorOpens', 'The door opens {when}', { when: moment(answer.check_in_opens_at) })}
                </Typography>
              )}
              {'ticket' in answer && answer.ticket && (
                <Typography tag="p" style={{ fontSize: 18, color: 'inherit' }}>
                  {`${answer.ticket.holder} · ${answer.ticket.reference} · ${answer.ticket.show_title}`}
                </Typography>
              )}
              {'ticket' in answer && answer.ticket && answer.ticket.access_needs?.length > 0 && (
                <AccessNeedsSign needs={answer.ticket.access_needs} />
              )}
            </Box>
          ) : (
            <QrScanner onScan={onScan} onProblem={onProblem} />
          )}

          {cameraMessage && (
            <Alert variant="warning" closeLabel="" title="" data-testid="camera-problem">
              {cameraMessage}
            </Alert>
          )}
          {queue.length > 0 && (
            <Alert variant="danger" closeLabel="" title="" data-testid="offline">
              {t('scanner.offline', 'No connection: {count} scan(s) kept, sending again…', { count: queue.length })}
            </Alert>
          )}

          <form
            onSubmit={(event) => {
              event.preventDefault();
              if (manual.trim()) submit(manual.trim(), 'manual');
              setManual('');
            }}
          >
            <Flex gap={2} alignItems="flex-end">
              <Box flex="1">
                <Field.Root name="manual-token">
                  <Field.Label>{t('scanner.manual', 'Ticket code or reference')}</Field.Label>
                  <TextInput
                    value={manual}
                    onChange={(e: React.ChangeEvent<HTMLInputElement>) => setManual(e.target.value)}
                    autoComplete="off"
                  />
                </Field.Root>
              </Box>
              <Button type="submit" size="L">
                {t('scanner.check', 'Check')}
              </Button>
            </Flex>
          </form>
        </Flex>
      </Layouts.Content>
    </Layouts.Root>
  );
};
