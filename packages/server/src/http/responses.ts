/** Response schemas shared by routes: every route documents its error shape. */
import { ErrorResponse } from '@parley/protocol';
import { Type } from '@sinclair/typebox';

export const errors = {
  '4xx': ErrorResponse,
  '5xx': ErrorResponse,
};

export const NoContent = Type.Null({ description: 'No content' });

export const authedRoute = { security: [{ bearer: [] }, { cookie: [] }] as Array<Record<string, string[]>> };
