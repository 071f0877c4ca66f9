import * as React from 'react';
import { useIntl } from 'react-intl';
import { BarController, BarElement, CategoryScale, Chart, LinearScale, Tooltip } from 'chart.js';
import { Bar } from 'react-chartjs-2';
import { getTranslation } from '../utils';
import type { ConfirmationsPerDay } from '../../../shared/contracts';

// Only the parts a bar chart needs: chart.js is tree-shaken to them.
Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip);

/** Seats confirmed per day (of confirmation), as bars; the days come from the server. */
export const ConfirmationsChart = ({ days }: { days: ConfirmationsPerDay[] }) => {
  const { formatMessage, formatDate } = useIntl();
  const seats = formatMessage({ id: getTranslation('overview.chartSeats'), defaultMessage: 'Seats confirmed' });
  const data = React.useMemo(
    () => ({
      labels: days.map((d) => formatDate(`${d.day}T12:00:00Z`, { day: 'numeric', month: 'short' })),
      datasets: [{ label: seats, data: days.map((d) => d.seats), backgroundColor: '#4945ff' }],
    }),
    [days, formatDate, seats]
  );
  if (days.length === 0) {
    return <p>{formatMessage({ id: getTranslation('overview.chartEmpty'), defaultMessage: 'No confirmations yet.' })}</p>;
  }
  return (
    <div style={{ position: 'relative', width: '100%', height: 220 }} data-testid="confirmations-chart">
      <Bar
        data={data}
        options={{
          responsive: true,
          maintainAspectRatio: false,
          animation: false,
          scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
        }}
        aria-label={seats}
        role="img"
      />
    </div>
  );
};
