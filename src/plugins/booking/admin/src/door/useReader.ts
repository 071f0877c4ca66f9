/**
 * A hand-held barcode reader is a keyboard: it types the code and presses Enter. The page listens
 * for it anywhere, with nothing focused and no tap on the screen: keys typed outside a text field
 * gather into a code, Enter sends it, Escape or a pause of a few seconds drops what was gathered.
 * Inside a text field the field's own form takes the keys, as typing by hand does.
 */
import * as React from 'react';

const IDLE_MS = 3000;

const isEditable = (target: EventTarget | null) =>
  target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));

export const useReader = (onCode: (code: string) => void, enabled = true) => {
  const onCodeRef = React.useRef(onCode);
  React.useLayoutEffect(() => {
    onCodeRef.current = onCode;
  });

  React.useEffect(() => {
    if (!enabled) return;
    let gathered = '';
    let last = 0;
    const onKey = (event: KeyboardEvent) => {
      if (isEditable(event.target) || event.ctrlKey || event.metaKey || event.altKey) return;
      const at = Date.now();
      if (at - last > IDLE_MS) gathered = '';
      last = at;
      if (event.key === 'Enter') {
        const code = gathered.trim();
        gathered = '';
        if (code) {
          event.preventDefault();
          onCodeRef.current(code);
        }
      } else if (event.key === 'Escape') {
        gathered = '';
      } else if (event.key.length === 1) {
        gathered += event.key;
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [enabled]);
};
