import * as React from 'react';
import { useIntl } from 'react-intl';
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart as ChartJS,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  type ChartData,
  type ChartOptions,
} from 'chart.js';
import { Chart } from 'react-chartjs-2';
import { useT } from '../utils';
import type { ConfirmationsPerDay } from '../../../shared/contracts';

// Only the parts a bar-and-line chart needs: chart.js is tree-shaken to them.
ChartJS.register(BarController, BarElement, LineController, LineElement, PointElement, CategoryScale, LinearScale, Legend, Tooltip);

const DAY = 24 * 3600_000;
const dayAfter = (day: string, step = 1) => new Date(Date.parse(`${day}T00:00:00Z`) + step * DAY).toISOString().slice(0, 10);

/**
 * Every day from the first confirmation to the last, those without one at 0, so the running
 * total climbs at its real pace; a single day gets the day before it (0), so the lines are lines.
 * At most `limit` days: the latest ones.
 */
export const everyDay = (days: ConfirmationsPerDay[], limit = 120): ConfirmationsPerDay[] => {
  if (days.length === 0) return [];
  const byDay = new Map(days.map((d) => [d.day, d]));
  const first = days.length === 1 ? dayAfter(days[0].day, -1) : days[0].day;
  const last = days[days.length - 1].day;
  const all: ConfirmationsPerDay[] = [];
  for (let day = first; day <= last; day = dayAfter(day)) all.push(byDay.get(day) ?? { day, reservations: 0, seats: 0 });
  return all.slice(-limit);
};

/**
 * Seats confirmed per day (of confirmation) as bars, the running total as a line against the
 * seats offered (a dashed line): how full the house is getting, and how fast. The days come from
 * the server; bars keep a sane width when there is one day only.
 */
export const ConfirmationsChart = ({ days: confirmed, capacity }: { days: ConfirmationsPerDay[]; capacity: number | null }) => {
  const days = React.useMemo(() => everyDay(confirmed), [confirmed]);
  const { formatDate } = useIntl();
  const t = useT();
  const words = {
    perDay: t('overview.chartSeats', 'Seats confirmed that day'),
    total: t('overview.chartTotal', 'Seats confirmed in all'),
    capacity: t('overview.chartCapacity', 'Seats offered'),
    x: t('overview.chartX', 'Day of confirmation'),
    y: t('overview.chartY', 'Seats'),
  };
  const data = React.useMemo((): ChartData<'bar' | 'line', number[], string> => {
    const totals = days.reduce<number[]>((sums, d) => [...sums, (sums.at(-1) ?? 0) + d.seats], []);
    return {
      labels: days.map((d) => formatDate(`${d.day}T12:00:00Z`, { day: 'numeric', month: 'short' })),
      datasets: [
        {
          type: 'bar' as const,
          label: words.perDay,
          data: days.map((d) => d.seats),
          backgroundColor: '#4945ff',
          maxBarThickness: 48,
          order: 3,
        },
        {
          type: 'line' as const,
          label: words.total,
          data: totals,
          borderColor: '#328048',
          backgroundColor: '#328048',
          pointRadius: 3,
          order: 2,
        },
        ...(capacity !== null
          ? [
              {
                type: 'line' as const,
                label: words.capacity,
                data: days.map(() => capacity),
                borderColor: '#d02b20',
                backgroundColor: '#d02b20',
                borderDash: [6, 4],
                pointRadius: 0,
                order: 1,
              },
            ]
          : []),
      ],
    };
  }, [days, capacity, formatDate, words.perDay, words.total, words.capacity]);
  const options = React.useMemo(
    (): ChartOptions<'bar' | 'line'> => ({
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      plugins: { legend: { position: 'bottom' } },
      scales: {
        x: { title: { display: true, text: words.x } },
        y: { beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: words.y } },
      },
    }),
    [words.x, words.y]
  );
  if (days.length === 0) {
    return <p>{t('overview.chartEmpty', 'No confirmations yet.')}</p>;
  }
  return (
    <div style={{ position: 'relative', width: '100%', height: 260 }} data-testid="confirmations-chart">
      <Chart type="bar" data={data} options={options} aria-label={`${words.perDay}; ${words.total}`} role="img" />
    </div>
  );
};
