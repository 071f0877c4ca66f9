import * as React from 'react';
import { useIntl } from 'react-intl';
import { Box, Typography } from '@strapi/design-system';
import { AccessNeedsSign } from '../components/AccessNeedsSign';
import { useResultText, useT } from '../utils';
import { toneOf, type DoorAnswer } from './useScan';

const COLOURS = {
  ok: { background: '#1f7a3a', color: '#fff' },
  warn: { background: '#f0a500', color: '#1a1a1a' },
  error: { background: '#b3261e', color: '#fff' },
} as const;

/**
 * The answer to a scan, across the screen: the colour and the words, the party's size, who and
 * which booking, access needs as a sign, and whether the phone judged it alone (no network).
 * After a good scan a countdown says when the page is back to scanning; a tap goes back at once.
 */
export const ScanAnswer = ({
  answer,
  count,
  secondsLeft,
  onDismiss,
}: {
  answer: DoorAnswer;
  /** Which answer of the page this is (1, 2, ...). */
  count: number;
  secondsLeft: number;
  onDismiss: () => void;
}) => {
  const { formatTime } = useIntl();
  const t = useT();
  const resultText = useResultText();
  const moment = (iso: string) => formatTime(iso, { weekday: 'long', day: 'numeric', month: 'long', hour: '2-digit', minute: '2-digit' });
  const clock = (iso: string) => formatTime(iso, { hour: '2-digit', minute: '2-digit' });
  const who = [answer.holder, answer.reference, answer.show_title].filter(Boolean).join(' · ');
  return (
    <Box
      padding={5}
      hasRadius
      role="status"
      aria-live="assertive"
      data-testid="scan-answer"
      data-result={answer.result}
      data-offline={answer.offline ? 'true' : 'false'}
      data-count={count}
      onClick={onDismiss}
      style={{ ...COLOURS[toneOf(answer.result)], minHeight: 180, cursor: 'pointer' }}
    >
      <Typography tag="p" fontWeight="bold" style={{ fontSize: 28, lineHeight: 1.2, color: 'inherit' }}>
        {resultText(answer.result)}
      </Typography>
      {answer.result === 'ok' && answer.party_size !== undefined && (
        <Typography tag="p" style={{ fontSize: 56, fontWeight: 800, lineHeight: 1.1, color: 'inherit' }} data-testid="party-size">
          {t('scanner.people', '{count, plural, one {# person} other {# people}}', { count: answer.party_size })}
        </Typography>
      )}
      {answer.result === 'already_checked_in' && answer.checked_in_at && (
        <Typography tag="p" style={{ fontSize: 20, color: 'inherit' }} data-testid="first-scan">
          {answer.checked_in_by
            ? t('scanner.firstScan', 'First scanned at {time} by {staff}', {
                time: clock(answer.checked_in_at),
                staff: answer.checked_in_by,
              })
            : t('scanner.firstScanAt', 'First scanned at {time}', { time: clock(answer.checked_in_at) })}
        </Typography>
      )}
      {answer.result === 'wrong_performance' && answer.ticket_starts_at && (
        <Typography tag="p" style={{ fontSize: 22, fontWeight: 700, color: 'inherit' }} data-testid="ticket-date">
          {t('scanner.ticketFor', 'This ticket is for {when}', { when: moment(answer.ticket_starts_at) })}
        </Typography>
      )}
      {answer.result === 'too_early' && answer.check_in_opens_at && (
        <Typography tag="p" style={{ fontSize: 22, fontWeight: 700, color: 'inherit' }} data-testid="door-opens">
          {t('scanner.doorOpens', 'The door opens {when}', { when: moment(answer.check_in_opens_at) })}
        </Typography>
      )}
      {who && (
        <Typography tag="p" style={{ fontSize: 18, color: 'inherit' }} data-testid="ticket-holder">
          {who}
        </Typography>
      )}
      {answer.access_needs && answer.access_needs.length > 0 && <AccessNeedsSign needs={answer.access_needs} />}
      {answer.offline && (
        <Typography tag="p" style={{ fontSize: 16, fontWeight: 700, color: 'inherit', marginTop: 8 }} data-testid="judged-offline">
          {t('scanner.judgedOffline', 'Judged on this phone, with no network')}
        </Typography>
      )}
      {answer.result === 'ok' && (
        <Typography tag="p" style={{ fontSize: 18, color: 'inherit', marginTop: 8 }} data-testid="next-scan-countdown">
          {t('scanner.nextIn', 'Next scan in {seconds} s (tap to scan now)', { seconds: secondsLeft })}
        </Typography>
      )}
    </Box>
  );
};
