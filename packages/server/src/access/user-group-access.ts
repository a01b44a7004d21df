/** Who may change a user group (E20), one condition a line. */
import { AppError } from '../errors.js';
import type { UserGroupRow } from '../modules/user-groups/user-groups.repo.js';

/** Its creator, or a server admin. */
export function assertCanManageGroup(group: UserGroupRow, userId: string, serverRole: string | undefined) {
  if (group.creator_id === userId) return;
  if (serverRole === 'admin') return;
  throw new AppError('forbidden', 'Only the group’s creator or a server admin may change it');
}
