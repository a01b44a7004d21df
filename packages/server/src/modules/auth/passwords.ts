/** argon2id hashing with the library's defaults (OWASP: 19 MiB, 2 passes). */
import { hash, verify } from '@node-rs/argon2';

/** `Algorithm.Argon2id`; the library exports it as a const enum, which isolated builds can't read. */
const ARGON2ID = 2;

export const hashPassword = (password: string) => hash(password.normalize('NFC'), { algorithm: ARGON2ID });

export const verifyPassword = async (passwordHash: string, password: string) => {
  try {
    return await verify(passwordHash, password.normalize('NFC'));
  } catch {
    return false;
  }
};

/** Verified against when the account does not exist, so timing does not reveal it. */
let decoyHash: Promise<string> | undefined;
export const decoyVerify = async (password: string) => {
  decoyHash ??= hashPassword('decoy password that matches nothing');
  await verifyPassword(await decoyHash, password);
  return false;
};
