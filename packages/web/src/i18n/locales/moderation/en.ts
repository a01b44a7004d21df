/** English strings of server moderation inside conversations (views/chat-info/moderation), merged into en.ts as `moderation`. */
export const moderation = {
  archived: 'Archived',
  archivedTitle: 'Archived by a server admin',
  archivedNotice: 'This chat was archived by a server admin. You can read it, but nobody can post here.',
  removeMessage: 'Remove as moderator',
  removeMessageTitle: 'Remove this message?',
  removeMessageBody: 'It will be removed for everyone in this chat. The removal is recorded in the server’s audit log.',
  removeMessageConfirm: 'Remove',
  removeMember: 'Remove from chat as moderator',
  removeMemberTitle: 'Remove {{name}} from this chat?',
  removeMemberBody:
    'They will leave the chat at once. The removal is recorded in the server’s audit log. To keep them out of the server, suspend them in the admin console.',
  removeMemberConfirm: 'Remove',
};
