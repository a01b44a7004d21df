/** Who is acting: established by authentication, never taken from what a client says. */
export interface Actor {
  userId: string;
  sessionId: string;
  /** Set for a bot's token (J8): every chat it touches must be in its scope (access/bot-access.ts). */
  bot?: true;
}
