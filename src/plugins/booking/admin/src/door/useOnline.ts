import * as React from 'react';

/** Whether the browser says it has a network (its `online` and `offline` events). */
export const useOnline = () => {
  const [online, setOnline] = React.useState(() => navigator.onLine);
  React.useEffect(() => {
    const update = () => setOnline(navigator.onLine);
    window.addEventListener('online', update);
    window.addEventListener('offline', update);
    return () => {
      window.removeEventListener('online', update);
      window.removeEventListener('offline', update);
    };
  }, []);
  return online;
};
