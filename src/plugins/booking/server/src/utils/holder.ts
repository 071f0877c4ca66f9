/**
 * "Maria Rossi" -> "Maria R.", "Maria" -> "Maria": enough for the door, no more. Names can no
 * longer hold '@', but older rows may: whatever follows an '@' is never shown, so a holder is
 * never an e-mail address.
 */
export const holderOf = (name: string) => {
  const words = name.trim().split(/\s+/).filter(Boolean);
  // Words with an '@' go; a name that was only an address keeps what came before the '@'.
  const kept = words.filter((word) => !word.includes('@'));
  const parts = kept.length > 0 || words.length === 0 ? kept : [words[0].split('@')[0]].filter(Boolean);
  if (parts.length <= 1) return parts[0] ?? '';
  // The initial by code point: a surname starting outside the BMP is not cut in half.
  const initial = Array.from(parts[parts.length - 1])[0].toUpperCase();
  return `${parts[0]} ${initial}.`;
};
