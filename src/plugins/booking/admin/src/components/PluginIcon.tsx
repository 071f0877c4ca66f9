/** A ticket, for the menu. */
export const PluginIcon = () => (
  <svg width="1em" height="1em" viewBox="0 0 24 24" fill="none" aria-hidden="true">
    <path
      d="M3 7a2 2 0 0 1 2-2h14a2 2 0 0 1 2 2v2a2 2 0 0 0 0 4v2a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2v-2a2 2 0 0 0 0-4V7Z"
      stroke="currentColor"
      strokeWidth="2"
    />
    <path d="M14 5v12" stroke="currentColor" strokeWidth="2" strokeDasharray="2 2" />
  </svg>
);
