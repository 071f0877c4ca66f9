/**
 * A ticket, for the menu. The menu gives every icon `width="20" height="20"` (and a theme colour
 * name as `fill`, which is no colour to an SVG): taken, so it is as large as the others.
 */
export const PluginIcon = ({ width = 20, height = 20 }: { width?: number | string; height?: number | string }) => (
  <svg width={width} height={height} viewBox="0 0 24 24" fill="none" aria-hidden="true" data-testid="booking-menu-icon">
    <path
      d="M3 7a2 2 0 0 1 2-2h14a2 2 0 0 1 2 2v2a2 2 0 0 0 0 4v2a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2v-2a2 2 0 0 0 0-4V7Z"
      stroke="currentColor"
      strokeWidth="2"
    />
    <path d="M14 5v12" stroke="currentColor" strokeWidth="2" strokeDasharray="2 2" />
  </svg>
);
