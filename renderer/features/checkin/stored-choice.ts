import { useCallback, useState } from 'react';

/** Sitting, session and room chosen at a desk or in the progress view. */
export interface DeskChoice {
  sittingId: number | null;
  sessionId: number | null;
  roomId: number | null;
}

const EMPTY: DeskChoice = { sittingId: null, sessionId: null, roomId: null };

function idOrNull(value: unknown): number | null {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0 ? value : null;
}

function read(key: string): DeskChoice {
  try {
    const raw = window.localStorage.getItem(key);
    if (!raw) return EMPTY;
    const value = JSON.parse(raw) as Record<string, unknown>;
    return {
      sittingId: idOrNull(value.sittingId),
      sessionId: idOrNull(value.sessionId),
      roomId: idOrNull(value.roomId),
    };
  } catch {
    return EMPTY;
  }
}

/**
 * The choice, remembered in localStorage under `key` so that a desk PC reopens on the same room.
 * Choosing a sitting clears the session and room; choosing a session clears the room.
 */
export function useStoredChoice(key: string) {
  const [choice, setChoice] = useState<DeskChoice>(() => read(key));
  const update = useCallback(
    (next: DeskChoice) => {
      setChoice(next);
      try {
        window.localStorage.setItem(key, JSON.stringify(next));
      } catch {
        // not remembered; the choice still applies to this page
      }
    },
    [key],
  );
  return {
    choice,
    setSitting: (sittingId: number | null) => update({ sittingId, sessionId: null, roomId: null }),
    setSession: (sessionId: number | null) => update({ ...choice, sessionId, roomId: null }),
    setRoom: (roomId: number | null) => update({ ...choice, roomId }),
  };
}

export const DESK_CHOICE_KEY = 'exam-site.checkin.desk';
export const PROGRESS_CHOICE_KEY = 'exam-site.checkin.progress';
