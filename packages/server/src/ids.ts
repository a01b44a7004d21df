/** The one id generator: time-ordered UUIDv7 strings, so ids sort by creation. */
import { uuidv7 } from 'uuidv7';

export const newId = (): string => uuidv7();
