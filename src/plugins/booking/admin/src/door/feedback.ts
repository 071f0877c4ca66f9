/**
 * A good and a bad scan sound and feel different, so staff know without looking: a short rising
 * double beep and one short buzz for "in"; a long low tone and three buzzes for "no"; a middle
 * tone for "look at the screen" (already in, server busy). WebAudio makes the tones (no files);
 * the vibration is the device's, where it has one.
 */
export type Tone = 'ok' | 'warn' | 'error';

const TONES: Record<Tone, { notes: Array<[frequency: number, seconds: number]>; type: OscillatorType; vibrate: number[] }> = {
  ok: {
    notes: [
      [880, 0.09],
      [1320, 0.12],
    ],
    type: 'sine',
    vibrate: [80],
  },
  warn: { notes: [[520, 0.25]], type: 'triangle', vibrate: [150, 80, 150] },
  error: { notes: [[220, 0.5]], type: 'square', vibrate: [60, 60, 60, 60, 60] },
};

let audio: AudioContext | null = null;

export const signal = (tone: Tone) => {
  const { notes, type, vibrate } = TONES[tone];
  try {
    navigator.vibrate?.(vibrate);
  } catch {
    // No vibration here: the sound and the colour remain.
  }
  try {
    audio ??= new AudioContext();
    void audio.resume();
    let at = audio.currentTime;
    for (const [frequency, seconds] of notes) {
      const oscillator = audio.createOscillator();
      const gain = audio.createGain();
      oscillator.type = type;
      oscillator.frequency.value = frequency;
      gain.gain.setValueAtTime(0.25, at);
      gain.gain.exponentialRampToValueAtTime(0.001, at + seconds);
      oscillator.connect(gain).connect(audio.destination);
      oscillator.start(at);
      oscillator.stop(at + seconds);
      at += seconds + 0.03;
    }
  } catch {
    // No sound on this device: the colour says it all.
  }
};
