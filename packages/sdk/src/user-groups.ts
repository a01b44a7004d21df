/** The REST calls of user groups (E20), part of the typed client (client.ts via conversations.ts). */
import type { CreateUserGroupBody, UpdateUserGroupBody, UserGroup, UserGroupList } from '@parley/protocol';
import type { HttpClient } from './http.js';

const enc = encodeURIComponent;

export const userGroupsApi = (http: HttpClient) => ({
  list: () => http.request<UserGroupList>('GET', '/api/v1/user-groups'),
  create: (body: CreateUserGroupBody) => http.request<UserGroup>('POST', '/api/v1/user-groups', { body }),
  update: (id: string, body: UpdateUserGroupBody) => http.request<UserGroup>('PATCH', `/api/v1/user-groups/${enc(id)}`, { body }),
  delete: (id: string) => http.request<void>('DELETE', `/api/v1/user-groups/${enc(id)}`),
});
