/** Who is acting: established by authentication, never taken from what a client says. */
export interface Actor {
  userId: string;
  sessionId: string;
}
