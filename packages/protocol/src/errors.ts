/**
 * The one catalogue of error codes. Every error the API returns, over HTTP or the
 * WebSocket, carries one of these codes; clients branch on the code, people read the
 * message. The HTTP status belongs to the code so the two can never disagree.
 */
export const ERROR_STATUS = {
  validation_failed: 400,
  malformed_json: 400,
  bad_request: 400,
  unauthenticated: 401,
  invalid_credentials: 401,
  csrf_failed: 403,
  account_suspended: 403,
  sign_up_closed: 403,
  invite_required: 403,
  invite_invalid: 403,
  email_not_verified: 403,
  forbidden: 403,
  privacy_restricted: 403,
  not_found: 404,
  route_not_found: 404,
  user_not_found: 404,
  room_not_found: 404,
  session_not_found: 404,
  push_subscription_not_found: 404,
  chat_not_found: 404,
  message_not_found: 404,
  poll_not_found: 404,
  scheduled_not_found: 404,
  reminder_not_found: 404,
  user_group_not_found: 404,
  emoji_not_found: 404,
  preview_not_found: 404,
  webhook_not_found: 404,
  export_not_found: 404,
  bot_not_found: 404,
  request_not_found: 404,
  file_not_found: 404,
  file_not_ready: 409,
  poll_closed: 409,
  method_not_allowed: 405,
  request_timeout: 408,
  unknown_command: 400,
  bad_frame: 400,
  not_authenticated_yet: 401,
  already_authenticated: 409,
  username_taken: 409,
  email_taken: 409,
  conflict: 409,
  handle_taken: 409,
  emoji_name_taken: 409,
  already_member: 409,
  already_contact: 409,
  client_id_conflict: 409,
  payload_too_large: 413,
  upload_too_large: 413,
  upload_quota_exceeded: 413,
  range_not_satisfiable: 416,
  unsupported_media_type: 415,
  headers_too_large: 431,
  weak_password: 400,
  webhook_target_refused: 400,
  invalid_token: 400,
  rate_limited: 429,
  internal_error: 500,
  unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export const ERROR_CODES = Object.keys(ERROR_STATUS) as ErrorCode[];

/** Where a validation problem was found and which rule it broke. */
export interface ValidationDetails {
  /** `body`, `query`, `params`, `headers` or `frame`. */
  location: string;
  /** Dotted path of the offending field (`displayName`, `members.2`); empty for the whole value. */
  field: string;
  /** The schema keyword that failed (`minLength`, `format`, `required`, `type`…). */
  rule: string;
}

export interface ErrorBody {
  error: {
    code: ErrorCode;
    message: string;
    details?: Record<string, unknown>;
  };
}
