/**
 * argon2id hashing, by default with OWASP's parameters (19 MiB, 2 passes). The cost is
 * the server's (PASSWORD_HASH_MEMORY_KIB, PASSWORD_HASH_PASSES): test suites lower it so
 * that thousands of sign-ups take seconds, not minutes. A hash records its parameters, so
 * verifying works whatever the cost was when it was made.
 */
import { hash, verify } from '@node-rs/argon2';

/** `Algorithm.Argon2id`; the library exports it as a const enum, which isolated builds can't read. */
const ARGON2ID = 2;

export interface PasswordHashCost {
  memoryKib: number;
  passes: number;
}

export const OWASP_COST: PasswordHashCost = { memoryKib: 19_456, passes: 2 };

let cost = OWASP_COST;
/** Verified against when the account does not exist, so timing does not reveal it. */
let decoyHash: Promise<string> | undefined;

/** Sets the cost of new hashes for this process (the server does it from its config at start). */
export function setPasswordHashCost(next: PasswordHashCost): void {
  if (next.memoryKib === cost.memoryKib && next.passes === cost.passes) return;
  cost = next;
  // The decoy must cost what a real verification costs, or timing tells accounts apart.
  decoyHash = undefined;
}

export const hashPassword = (password: string) =>
  hash(password.normalize('NFC'), { algorithm: ARGON2ID, memoryCost: cost.memoryKib, timeCost: cost.passes });

export const verifyPassword = async (passwordHash: string, password: string) => {
  try {
    return await verify(passwordHash, password.normalize('NFC'));
  } catch {
    return false;
  }
};

export const decoyVerify = async (password: string) => {
  decoyHash ??= hashPassword('decoy password that matches nothing');
  await verifyPassword(await decoyHash, password);
  return false;
};
