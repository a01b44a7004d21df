/**
 * Live "is this username free?" for the sign-up form: waits until typing pauses, checks
 * the format locally first (no request for a name that could never be valid), and drops
 * answers to questions that are no longer current.
 */
import { USERNAME_PATTERN } from '@parley/protocol';
import { useEffect, useState } from 'react';
import { parley } from '../api/client.js';

export type Availability = 'idle' | 'invalid' | 'checking' | 'available' | 'taken' | 'unknown';

const USERNAME = new RegExp(USERNAME_PATTERN);
export const DEBOUNCE_MS = 350;

/** The form the server stores and compares (it lowercases); null when it can't be valid. */
export function normalizedUsername(input: string): string | null {
  const candidate = input.trim().toLowerCase();
  return USERNAME.test(candidate) ? candidate : null;
}

export function useUsernameAvailability(input: string): { availability: Availability; username: string } {
  const username = input.trim().toLowerCase();
  const [result, setResult] = useState<{ username: string; availability: Availability }>({ username: '', availability: 'idle' });

  useEffect(() => {
    if (username === '' || normalizedUsername(username) === null) return;
    let current = true;
    const timer = window.setTimeout(() => {
      parley.users.usernameAvailability(username).then(
        (answer) => {
          if (current) setResult({ username, availability: answer.available ? 'available' : 'taken' });
        },
        () => {
          if (current) setResult({ username, availability: 'unknown' });
        },
      );
    }, DEBOUNCE_MS);
    return () => {
      current = false;
      window.clearTimeout(timer);
    };
  }, [username]);

  if (username === '') return { username, availability: 'idle' };
  if (normalizedUsername(username) === null) return { username, availability: 'invalid' };
  // Until the answer for exactly this name arrives, it is being checked.
  return { username, availability: result.username === username ? result.availability : 'checking' };
}
